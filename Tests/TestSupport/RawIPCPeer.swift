import Glibc
import Shared

/// The fake peer: writes raw bytes and reads frames without the IPC classes (to misbehave on
/// purpose, or to be a process the daemon under test does not expect).
public final class RawIPCPeer {
    public let fd: Int32
    private var decoder = IPCFrameDecoder()
    public private(set) var messages: [IPCMessage] = []
    public private(set) var closedByPeer = false
    private var nextID: Int64 = 0

    public init(path: String) throws {
        fd = try Socket.connectUnix(path: path)
    }

    deinit { Socket.close(fd) }

    public func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    public func send(type: String, body: JSONObject = [:]) {
        nextID += 1
        write(IPCMessage(type: type, id: nextID, body: body).encoded())
    }

    public func hello(role: String = "gateway", version: Int64 = 1) {
        send(type: "hello", body: ["v": .int(version), "role": .string(role)])
    }

    /// Reads whatever has arrived (non-blocking) and notes an end of stream.
    public func poll() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !closedByPeer {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                guard let frames = try? buffer.withUnsafeBytes({ try decoder.feed(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) else {
                    closedByPeer = true
                    return
                }
                messages += frames.compactMap { try? IPCMessage(frameBody: $0) }
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                closedByPeer = true
            } else if errno == EAGAIN {
                return
            }
        }
    }
}
