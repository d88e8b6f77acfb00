import Glibc
import Shared

/// A server-side WebSocket (RFC 6455) on a socket taken over from the HTTP server after the 101,
/// driven by the event loop. Incoming bytes go through `WebSocketFrameDecoder` (size caps, UTF-8,
/// fragmentation); pings are answered with pongs; a peer's close frame is echoed and a protocol
/// violation answered with close 1002/1007/1009, after which we send FIN, drain input briefly
/// and close the fd. Outgoing frames queue in a bounded outbox: a peer that lets more than
/// `maxOutboxBytes` pile up is dropped (close code reported 1008), never growing memory.
/// `onMessage` receives whole text/binary messages; `onClose` fires once when the connection
/// stops being usable, with the close code (1005 none given, 1006 dropped without a close).
final class WebSocketConnection {
    enum Message: Equatable {
        case text(String)
        case binary([UInt8])
    }

    private enum State { case open, closeSent, closing, lingering, closed }

    /// Close code reported when the peer's close frame carried none (RFC 6455 §7.1.5).
    static let noStatusCode: UInt16 = 1005
    /// Close code reported when the connection ended without a close frame.
    static let abnormalCode: UInt16 = 1006

    let fd: Int32
    let remoteAddress: String
    private let loop: EventLoop
    private let options: WebSocketConnectionOptions
    private let readBuffer: WebSocketReadBuffer
    private var decoder: WebSocketFrameDecoder
    private var outbox: OutboundBuffer
    private var pendingInput: [UInt8]
    private var io: IOSource?
    private var timer: TimerSource?
    private var state = State.open
    private var wantsWritable = false
    /// The connection keeps itself alive until its fd is closed, so an owner may forget it as
    /// soon as `onClose` fires while the close exchange and linger still run.
    private var retainedSelf: WebSocketConnection?

    var onMessage: ((Message) -> Void)?
    var onClose: ((UInt16) -> Void)?

    init(loop: EventLoop, hijacked: HijackedConnection, options: WebSocketConnectionOptions,
         readBuffer: WebSocketReadBuffer) {
        self.loop = loop
        self.options = options
        self.readBuffer = readBuffer
        fd = hijacked.fd
        remoteAddress = hijacked.remoteAddress
        decoder = WebSocketFrameDecoder(limits: options.limits)
        outbox = hijacked.pendingOutput
        pendingInput = hijacked.bufferedInput
    }

    /// Starts reading (set the callbacks first): bytes read ahead by the HTTP server are decoded now.
    func start() {
        guard state != .closed, io == nil else { return }
        retainedSelf = self
        do {
            let events: IOEvents = wantsWritable ? [.readable, .writable] : .readable
            io = try loop.addIO(fd: fd, events: events) { [weak self] events in self?.handle(events) }
        } catch {
            return terminate(code: Self.abnormalCode)
        }
        if !pendingInput.isEmpty {
            let input = pendingInput
            pendingInput = []
            input.withUnsafeBytes { consume($0) }
        }
        flush()
    }

    var isOpen: Bool { state == .open }
    /// Bytes waiting to be written.
    var queuedBytes: Int { outbox.count }

    // MARK: Sending

    @discardableResult
    func send(text: String) -> Bool { send(frame: WebSocketFrameEncoder.text(text)) }

    @discardableResult
    func send(binary: [UInt8]) -> Bool { send(frame: WebSocketFrameEncoder.binary(binary)) }

    /// Sends an already encoded frame (broadcasts encode once and share the bytes). False when
    /// the connection is closing or the peer was dropped as a slow consumer.
    @discardableResult
    func send(frame: [UInt8]) -> Bool {
        guard state == .open else { return false }
        guard outbox.count + frame.count <= options.maxOutboxBytes else {
            outbox.removeAll()
            terminate(code: WebSocketCloseCode.policyViolation)
            return false
        }
        outbox.append(frame)
        if !wantsWritable { flush() }
        return state == .open
    }

    /// Starts the closing handshake: sends a close frame and waits `closeTimeout` for the peer's.
    func close(code: UInt16 = WebSocketCloseCode.normal, reason: String = "") {
        guard state == .open else { return }
        state = .closeSent
        outbox.append(WebSocketFrameEncoder.close(code: code, reason: reason))
        notifyClose(code)
        armTimer(options.closeTimeout)
        flush()
    }

    // MARK: Reading

    private func handle(_ events: IOEvents) {
        if events.contains(.writable) { flush() }
        guard state != .closed else { return }
        if events.contains(.readable) || !events.isDisjoint(with: [.error, .hangup]) { readAvailable() }
    }

    private func readAvailable() {
        let buffer = readBuffer.storage
        for _ in 0..<WebSocketConnectionOptions.maxReadsPerWake {
            guard state != .closed else { return }
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                if state == .lingering { continue }
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } else if n == 0 {
                return terminate(code: Self.abnormalCode)
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                return terminate(code: Self.abnormalCode)
            }
        }
    }

    private func consume(_ bytes: UnsafeRawBufferPointer) {
        for event in decoder.feed(bytes) {
            guard state == .open || state == .closeSent else { return }
            switch event {
            case .text(let text):
                if state == .open { onMessage?(.text(text)) }
            case .binary(let data):
                if state == .open { onMessage?(.binary(data)) }
            case .ping(let payload):
                if state == .open { outbox.append(WebSocketFrameEncoder.pong(payload)) }
            case .pong:
                break
            case .close(let code, _):
                if state == .open {
                    outbox.append(WebSocketFrameEncoder.close(code: code))
                    notifyClose(code ?? Self.noStatusCode)
                }
                finishAfterFlush()
            case .protocolError(let code, let reason):
                if state == .open {
                    outbox.append(WebSocketFrameEncoder.close(code: code, reason: reason))
                    notifyClose(code)
                }
                finishAfterFlush()
            }
        }
        if state != .closed && !wantsWritable { flush() }
    }

    // MARK: Writing and closing

    private func flush() {
        guard state != .closed, state != .lingering else { return }
        switch outbox.flush(to: fd) {
        case .failed:
            outbox.removeAll()
            return terminate(code: Self.abnormalCode)
        case .pending:
            setWritable(true)
        case .drained:
            setWritable(false)
            if state == .closing { startLinger() }
        }
    }

    private func setWritable(_ on: Bool) {
        guard on != wantsWritable else { return }
        wantsWritable = on
        io?.setEvents(on ? [.readable, .writable] : .readable)
    }

    /// The close exchange is complete (or failed): write what is queued, then FIN and linger.
    private func finishAfterFlush() {
        state = .closing
        armTimer(options.closeTimeout)
        flush()
    }

    private func startLinger() {
        state = .lingering
        shutdown(fd, Int32(SHUT_WR))
        armTimer(options.lingerTimeout)
    }

    private func armTimer(_ seconds: Double) {
        if let timer {
            timer.arm(after: seconds)
        } else {
            timer = loop.schedule(after: seconds) { [weak self] in self?.terminate(code: Self.abnormalCode) }
        }
    }

    private func notifyClose(_ code: UInt16) {
        guard let callback = onClose else { return }
        onClose = nil
        onMessage = nil
        callback(code)
    }

    /// Drops the TCP connection now (EOF, error, timeout, slow consumer).
    private func terminate(code: UInt16) {
        guard state != .closed else { return }
        state = .closed
        io?.cancel()
        io = nil
        timer?.cancel()
        timer = nil
        outbox.removeAll()
        Glibc.close(fd)
        notifyClose(code)
        retainedSelf = nil
    }

    deinit {
        if state != .closed {
            io?.cancel()
            timer?.cancel()
            Glibc.close(fd)
        }
    }
}
