/// Builds server-to-client WebSocket frames (RFC 6455 §5.2): unmasked, FIN set, no RSV bits,
/// shortest length encoding. Control payloads are cut to 125 bytes and close reasons to 123 bytes
/// (at a character boundary), so the encoder never emits a frame a client must reject.
enum WebSocketFrameEncoder {
    /// Appends one frame to `out`. `payload` longer than 125 bytes is truncated for control opcodes.
    static func encode(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, fin: Bool = true,
                       into out: inout [UInt8]) {
        let length = opcode.isControl ? min(payload.count, WebSocketLimits.maxControlPayload) : payload.count
        appendHeader(opcode: opcode, length: length, fin: fin, into: &out)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[0..<length]))
    }

    /// Appends just the header of a frame whose `length` payload bytes the caller writes itself
    /// (lets the session layer send large payloads with a vectored write, without copying).
    static func appendHeader(opcode: WebSocketOpcode, length: Int, fin: Bool = true, into out: inout [UInt8]) {
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        if length <= WebSocketLimits.maxShortLength {
            out.append(UInt8(length))
        } else if length <= WebSocketLimits.maxMediumLength {
            out.append(126)
            out.append(UInt8(length >> 8))
            out.append(UInt8(length & 0xFF))
        } else {
            out.append(127)
            let n = UInt64(length)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((n >> UInt64(shift)) & 0xFF)) }
        }
    }

    static func text(_ string: String) -> [UInt8] {
        var s = string
        return s.withUTF8 { frame(.text, UnsafeRawBufferPointer($0)) }
    }

    static func binary(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { frame(.binary, $0) }
    }

    static func ping(_ payload: [UInt8] = []) -> [UInt8] {
        payload.withUnsafeBytes { frame(.ping, $0) }
    }

    static func pong(_ payload: [UInt8]) -> [UInt8] {
        payload.withUnsafeBytes { frame(.pong, $0) }
    }

    /// A close frame; `code` nil sends an empty payload (the reason is then ignored).
    static func close(code: UInt16?, reason: String = "") -> [UInt8] {
        guard let code else { return frame(.close, UnsafeRawBufferPointer(start: nil, count: 0)) }
        var payload: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        payload.append(contentsOf: truncatedUTF8(reason, maxBytes: WebSocketLimits.maxCloseReason))
        return payload.withUnsafeBytes { frame(.close, $0) }
    }

    private static func frame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 10)
        encode(opcode: opcode, payload: payload, into: &out)
        return out
    }

    /// The UTF-8 of `text`, cut to at most `maxBytes` without splitting a character.
    static func truncatedUTF8(_ text: String, maxBytes: Int) -> [UInt8] {
        let bytes = Array(text.utf8)
        guard bytes.count > maxBytes else { return bytes }
        var cut = max(maxBytes, 0)
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }   // don't end inside a character
        return Array(bytes[0..<cut])
    }
}
