import Glibc

/// The outcome of `OutboundBuffer.flush(to:)`.
public enum FlushResult: Equatable, Sendable {
    /// Everything queued was written.
    case drained
    /// The socket is full (EAGAIN): keep the bytes and wait for the fd to become writable.
    case pending
    /// The write failed with this errno (EPIPE, ECONNRESET, ...): close the connection.
    case failed(Int32)
}

/// A byte queue for non-blocking writes (HTTP responses, IPC frames, WebSocket frames).
/// Bytes are appended at the end and written from a read index; the consumed prefix is dropped
/// only when it is more than half of the storage, so a long sequence of partial writes costs
/// O(n) copying in total, not O(n²). Writes use send(MSG_NOSIGNAL) so a vanished peer is an
/// EPIPE result rather than a SIGPIPE; non-socket fds fall back to write(2).
/// Limits on how much may be queued are the caller's business (check `count`).
public struct OutboundBuffer {
    private var storage: [UInt8] = []
    private var readIndex = 0

    public init() {}

    /// Bytes still waiting to be written.
    public var count: Int { storage.count - readIndex }
    public var isEmpty: Bool { readIndex == storage.count }

    public mutating func append(_ bytes: [UInt8]) {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// Lets `write` append to the queue in place (a response serialised straight into it).
    public mutating func appendInPlace<R>(_ write: (inout [UInt8]) -> R) -> R {
        compactIfWorthwhile()
        return write(&storage)
    }

    /// Appends the UTF-8 bytes of `text`.
    public mutating func append(utf8 text: String) {
        compactIfWorthwhile()
        storage.append(contentsOf: text.utf8)
    }

    /// Drops everything queued (e.g. when the connection is being closed).
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: false)
        readIndex = 0
    }

    /// Writes as much as the fd accepts. Retries on EINTR; stops at EAGAIN with `.pending`.
    public mutating func flush(to fd: Int32) -> FlushResult {
        var useSend = true
        while readIndex < storage.count {
            let written: Int = storage.withUnsafeBytes { raw in
                let start = raw.baseAddress! + readIndex
                let length = raw.count - readIndex
                if useSend {
                    return send(fd, start, length, Int32(MSG_NOSIGNAL))
                }
                return write(fd, start, length)
            }
            if written > 0 {
                readIndex += written
                continue
            }
            let code = written == 0 ? EIO : errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                compactIfWorthwhile()
                return .pending
            case ENOTSOCK where useSend:
                useSend = false
                continue
            default:
                return .failed(code)
            }
        }
        storage.removeAll(keepingCapacity: storage.capacity <= Self.retainedCapacity)
        readIndex = 0
        return .drained
    }

    /// Capacity kept after a full drain; larger buffers (a big response) are released.
    static let retainedCapacity = 64 * 1024

    private mutating func compactIfWorthwhile() {
        guard readIndex > 0 else { return }
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > storage.count / 2 {
            storage.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
