/// Incremental, server-side WebSocket frame decoder (RFC 6455 §5–7). Feed it bytes as they arrive
/// from the socket in chunks of any size; it returns whole messages and control frames as
/// `WebSocketEvent`s. It reassembles fragmented messages (control frames may interleave), validates
/// text as UTF-8 while the bytes arrive (so a bad fragment fails at once), and checks sizes from the
/// header before buffering any payload. After `.close` or `.protocolError` it is finished and ignores
/// further input; the session layer answers pings, echoes the close and closes the TCP connection.
struct WebSocketFrameDecoder {
    let limits: WebSocketLimits
    /// True once a close frame was received or the stream failed.
    private(set) var isFinished = false

    private var headerBytes: [UInt8] = []
    private var current: WebSocketFrameHeader?
    private var payloadRead = 0
    private var control: [UInt8] = []
    private var message: [UInt8] = []
    /// Opcode (text/binary) of the data message being received, nil between messages.
    private var messageOpcode: WebSocketOpcode?
    private var utf8 = UTF8Validator()

    init(limits: WebSocketLimits = .default) {
        self.limits = limits
        headerBytes.reserveCapacity(WebSocketLimits.maxHeaderBytes)
    }

    mutating func feed(_ bytes: [UInt8]) -> [WebSocketEvent] {
        bytes.withUnsafeBytes { feed($0) }
    }

    mutating func feed(_ input: UnsafeRawBufferPointer) -> [WebSocketEvent] {
        var events: [WebSocketEvent] = []
        var i = 0
        while !isFinished {
            if let header = current {
                guard i < input.count else { break }
                let n = min(header.payloadLength - payloadRead, input.count - i)
                consumePayload(UnsafeRawBufferPointer(rebasing: input[i..<(i + n)]), header, &events)
                i += n
                if !isFinished && payloadRead == header.payloadLength { finishFrame(header, &events) }
                continue
            }
            switch WebSocketFrameHeader.parse(headerBytes) {
            case .needMore(let total):
                guard i < input.count else { return events }
                let n = min(total - headerBytes.count, input.count - i)
                headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[i..<(i + n)]))
                i += n
            case .invalid(let code, let reason):
                fail(code, reason, &events)
            case .header(let header):
                headerBytes.removeAll(keepingCapacity: true)
                if let (code, reason) = admit(header) {
                    fail(code, reason, &events)
                } else {
                    current = header
                    payloadRead = 0
                    if header.payloadLength == 0 { finishFrame(header, &events) }
                }
            }
        }
        return events
    }

    /// Fragmentation and size rules for a complete header; nil when the frame may proceed.
    private mutating func admit(_ h: WebSocketFrameHeader) -> (UInt16, String)? {
        if h.payloadLength > limits.maxFramePayload {
            return (WebSocketCloseCode.messageTooBig, "frame too big")
        }
        if h.opcode.isControl {
            control = []
            control.reserveCapacity(h.payloadLength)
            return nil
        }
        if h.opcode == .continuation {
            if messageOpcode == nil { return (WebSocketCloseCode.protocolError, "continuation without a message") }
        } else {
            if messageOpcode != nil { return (WebSocketCloseCode.protocolError, "new message inside a fragmented one") }
            messageOpcode = h.opcode
            utf8.reset()
        }
        if h.payloadLength > limits.maxMessage - message.count {
            return (WebSocketCloseCode.messageTooBig, "message too big")
        }
        // No reserveCapacity for the announced length: memory grows only as payload bytes arrive,
        // so a peer announcing 1 MiB and sending nothing costs nothing.
        return nil
    }

    private mutating func consumePayload(_ chunk: UnsafeRawBufferPointer, _ h: WebSocketFrameHeader,
                                         _ events: inout [WebSocketEvent]) {
        if h.opcode.isControl {
            Self.appendUnmasked(chunk, to: &control, mask: h.maskKey, offset: payloadRead)
        } else {
            let start = message.count
            Self.appendUnmasked(chunk, to: &message, mask: h.maskKey, offset: payloadRead)
            if messageOpcode == .text {
                let ok = message.withUnsafeBytes { utf8.validate(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                if !ok { return fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in text message", &events) }
            }
        }
        payloadRead += chunk.count
    }

    private mutating func finishFrame(_ h: WebSocketFrameHeader, _ events: inout [WebSocketEvent]) {
        current = nil
        switch h.opcode {
        case .ping:
            events.append(.ping(control))
            control = []
        case .pong:
            events.append(.pong(control))
            control = []
        case .close:
            finishClose(&events)
        case .text, .binary, .continuation:
            guard h.fin, let opcode = messageOpcode else { return }
            if opcode == .text {
                guard utf8.isAtBoundary else {
                    return fail(WebSocketCloseCode.invalidPayload, "text message ends inside a character", &events)
                }
                events.append(.text(String(decoding: message, as: UTF8.self)))
            } else {
                events.append(.binary(message))
            }
            message = []
            messageOpcode = nil
        }
    }

    /// §5.5.1 / §7.1.5: empty, or a 2-byte valid status code followed by a UTF-8 reason.
    private mutating func finishClose(_ events: inout [WebSocketEvent]) {
        defer { control = [] }
        if control.isEmpty {
            events.append(.close(code: nil, reason: ""))
            isFinished = true
            return
        }
        guard control.count >= 2 else {
            return fail(WebSocketCloseCode.protocolError, "close payload of one byte", &events)
        }
        let code = UInt16(control[0]) << 8 | UInt16(control[1])
        guard WebSocketCloseCode.isValidReceived(code) else {
            return fail(WebSocketCloseCode.protocolError, "invalid close code", &events)
        }
        let reason = Array(control[2...])
        guard UTF8Validator.isValid(reason) else {
            return fail(WebSocketCloseCode.invalidPayload, "invalid UTF-8 in close reason", &events)
        }
        events.append(.close(code: code, reason: String(decoding: reason, as: UTF8.self)))
        isFinished = true
    }

    private mutating func fail(_ code: UInt16, _ reason: String, _ events: inout [WebSocketEvent]) {
        events.append(.protocolError(code: code, reason: reason))
        isFinished = true
        current = nil
        message = []
        control = []
        headerBytes = []
    }

    /// Appends `chunk` XOR the mask, where `offset` is the chunk's position within the frame payload.
    private static func appendUnmasked(_ chunk: UnsafeRawBufferPointer, to dest: inout [UInt8],
                                       mask: SIMD4<UInt8>, offset: Int) {
        guard !chunk.isEmpty else { return }
        let start = dest.count
        dest.append(contentsOf: chunk)
        var word: UInt64 = 0   // the mask repeated twice, rotated to the chunk's position
        withUnsafeMutableBytes(of: &word) { w in
            for t in 0..<8 { w[t] = mask[(offset &+ t) & 3] }
        }
        dest.withUnsafeMutableBytes { p in
            var j = start
            while j + 8 <= p.count {
                let v = p.loadUnaligned(fromByteOffset: j, as: UInt64.self) ^ word
                p.storeBytes(of: v, toByteOffset: j, as: UInt64.self)
                j += 8
            }
            while j < p.count {
                p[j] ^= mask[(offset &+ (j - start)) & 3]
                j += 1
            }
        }
    }
}
