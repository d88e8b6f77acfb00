import Foundation
import Glibc
import Synchronization

/// One IPC stream on the event loop (docs/IPC.md): reads frames from a non-blocking fd through
/// `IPCFrameDecoder`, turns them into `IPCMessage`s for `onMessage`, and writes outgoing frames
/// through an `OutboundBuffer`, asking for `.writable` only while bytes are pending. A peer that
/// breaks the protocol (bad frame, bad JSON, bad envelope) or stops reading (more than
/// `maxOutboundBytes` queued) is disconnected; `onClose` reports why, exactly once. Both
/// `IPCServer` and `IPCClient` use it. Loop thread only.
public final class IPCConnection {
    /// Short label for log lines ("conn#3 gateway").
    public let number: Int
    public let fd: Int32
    public let limits: IPCLimits
    /// Role announced by the peer in `hello` (set by the server or client once the handshake is done).
    public internal(set) var peerRole: String?
    public private(set) var isOpen = true

    /// Called for every well-formed message, in order.
    public var onMessage: ((IPCMessage) -> Void)?
    /// Request types whose canonical frames are handed over as bytes (`IPCRawRequest`).
    public var rawRequestTypes: Set<String> = []
    /// Called once when the connection closes, with the reason (for the log).
    public var onClose: ((String) -> Void)?
    /// Given a protocol violation, an optional last message (an `error`) to send before closing.
    public var farewell: ((IPCProtocolError) -> IPCMessage?)?

    private let loop: EventLoop
    private var source: IOSource?
    private var decoder: IPCFrameDecoder
    private var outbound = OutboundBuffer()
    private var readBuffer: [UInt8] = []
    private var waitingForWritable = false
    /// Set while the last bytes drain before a deliberate close.
    private var closingReason: String?
    private var lingerTimer: TimerSource?

    /// Connection numbers are unique across the process (tests run several loops).
    private static let lastNumber = Mutex(0)
    private static func takeNumber() -> Int {
        lastNumber.withLock { number in
            number += 1
            return number
        }
    }

    /// Takes ownership of `fd` (non-blocking): on failure to register it with the loop, the fd is
    /// closed and the error rethrown.
    public init(loop: EventLoop, fd: Int32, limits: IPCLimits = .standard) throws {
        self.number = IPCConnection.takeNumber()
        self.loop = loop
        self.fd = fd
        self.limits = limits
        self.decoder = IPCFrameDecoder(maxFrameBytes: limits.maxFrameBytes)
        do {
            source = try loop.addIO(fd: fd, events: .readable) { [weak self] events in self?.handle(events) }
        } catch {
            Socket.close(fd)
            isOpen = false
            throw error
        }
    }

    deinit {
        if isOpen {
            lingerTimer?.cancel()
            source?.cancel()
            Socket.close(fd)
        }
    }

    public var label: String { "conn#\(number) \(peerRole ?? "unidentified")" }

    /// Bytes queued and not yet accepted by the kernel.
    public var pendingOutboundBytes: Int { outbound.count }
    /// While true, `send` only queues: the frames of a burst leave in one write at `uncork`
    /// (`IPCServer.corked`, issue 16: a dialer commit's events and answers).
    public private(set) var isCorked = false

    public func cork() { isCorked = true }

    /// Ends `cork` and writes what was queued.
    public func uncork() {
        guard isCorked else { return }
        isCorked = false
        if isOpen && !waitingForWritable && outbound.count > 0 { flush() }
    }

    // MARK: Writing

    public func send(_ message: IPCMessage) {
        loop.assertOnLoop()
        send(frame: message.encoded())
    }

    /// Queues an already framed message (see `IPCMessage.encoded()`); `publish` encodes once for all.
    public func send(frame: [UInt8]) {
        guard isOpen, closingReason == nil else { return }
        outbound.append(frame)
        if !waitingForWritable && !isCorked { flush() }
        if isOpen && outbound.count > limits.maxOutboundBytes {
            close(reason: "peer is not reading: \(outbound.count) bytes queued (limit \(limits.maxOutboundBytes))")
        }
    }

    /// Sends `last` (if any), then closes once it has drained or after `closeLinger` seconds.
    public func close(after last: IPCMessage?, reason: String) {
        guard isOpen, closingReason == nil else { return }
        if let last { outbound.append(last.encoded()) }
        closingReason = reason
        flush()
        guard isOpen else { return }
        source?.setEvents(.writable)
        lingerTimer = loop.schedule(after: limits.closeLinger) { [weak self] in
            self?.close(reason: reason + " (unsent bytes dropped)")
        }
    }

    /// Closes now, dropping anything unsent. Safe to call more than once and from any callback.
    public func close(reason: String) {
        guard isOpen else { return }
        isOpen = false
        lingerTimer?.cancel()
        lingerTimer = nil
        source?.cancel()
        source = nil
        Socket.close(fd)
        outbound.removeAll()
        onMessage = nil
        farewell = nil
        let callback = onClose
        onClose = nil
        callback?(reason)
    }

    private func flush() {
        switch outbound.flush(to: fd) {
        case .drained:
            if let closingReason {
                close(reason: closingReason)
            } else if waitingForWritable {
                waitingForWritable = false
                source?.setEvents(.readable)
            }
        case .pending:
            if !waitingForWritable && closingReason == nil {
                waitingForWritable = true
                source?.setEvents([.readable, .writable])
            }
        case .failed(let code):
            close(reason: "write failed: \(String(cString: strerror(code)))")
        }
    }

    // MARK: Reading

    private func handle(_ events: IOEvents) {
        if closingReason != nil {
            // Draining before a close: only output matters; a hang-up ends it at once.
            if !events.isDisjoint(with: [.hangup, .error]) { close(reason: closingReason ?? "closed") }
            else if events.contains(.writable) { flush() }
            return
        }
        if events.contains(.writable) { flush() }
        if isOpen && !events.isDisjoint(with: [.readable, .hangup, .error, .readHangup]) { readAvailable() }
    }

    private func readAvailable() {
        if readBuffer.isEmpty { readBuffer = [UInt8](repeating: 0, count: IPCLimits.readChunkBytes) }
        var reads = 0
        while isOpen && closingReason == nil && reads < IPCLimits.maxReadsPerWake {
            let n = readBuffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 {
                close(reason: decoder.isAtFrameBoundary ? "peer closed the connection"
                                                       : "peer closed the connection in the middle of a frame")
                return
            }
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return
                default:
                    close(reason: "read failed: \(String(cString: strerror(errno)))")
                    return
                }
            }
            reads += 1
            let frames: [[UInt8]]
            do {
                frames = try readBuffer.withUnsafeBytes { try decoder.feed(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            } catch {
                violation(error as? IPCProtocolError ?? .invalidEnvelope("\(error)"))
                return
            }
            for frame in frames {
                guard isOpen && closingReason == nil else { return }
                let message: IPCMessage
                do {
                    message = try IPCRawRequest.message(frame: frame, types: rawRequestTypes) ?? IPCMessage(frameBody: frame)
                } catch {
                    violation(error as? IPCProtocolError ?? .invalidEnvelope("\(error)"))
                    return
                }
                onMessage?(message)
            }
            if n < readBuffer.count { return }  // the socket is drained; level-triggered epoll wakes us again
        }
    }

    private func violation(_ error: IPCProtocolError) {
        let reason = "protocol error: \(error)"
        if let last = farewell?(error) {
            close(after: last, reason: reason)
        } else {
            close(reason: reason)
        }
    }
}
