import Glibc
import XCTest
@testable import Shared

/// Shared fixtures for the IPC tests (no tests of its own): a temp directory with a socket path,
/// one event loop, helpers to build servers and clients on it, and a raw peer that speaks bytes.
final class IPCTestHarness {
    let directory: String
    let path: String
    let loop: EventLoop
    var logs: [String] = []
    /// Servers made here stay alive as long as the harness (tests may ignore the handle).
    private(set) var servers: [IPCServer] = []

    init() throws {
        var template = Array("/tmp/ipc-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SocketError(operation: "mkdtemp", address: "/tmp", code: errno) }
        directory = String(cString: made)
        path = directory + "/queue.sock"
        loop = try EventLoop()
    }

    deinit {
        unlink(path)
        rmdir(directory)
    }

    /// Limits with short timings so the tests stay fast.
    static var fastLimits: IPCLimits {
        var limits = IPCLimits()
        limits.reconnectInitialDelay = 0.01
        limits.reconnectMaxDelay = 0.05
        limits.helloTimeout = 1
        return limits
    }

    func makeServer(role: String = "queue", allowed: Set<String> = ["gateway", "dialer"],
                    limits: IPCLimits = IPCTestHarness.fastLimits) throws -> IPCServer {
        let fd = try Socket.listenUnix(path: path, mode: 0o600)
        let server = try IPCServer(loop: loop, listenFD: fd, role: role, allowedPeers: allowed, limits: limits) { [weak self] in
            self?.logs.append("server: " + $0)
        }
        servers.append(server)
        return server
    }

    func makeClient(role: String = "gateway", timeout: Double = 1,
                    limits: IPCLimits = IPCTestHarness.fastLimits) -> IPCClient {
        IPCClient(loop: loop, path: path, role: role, peerName: "queue-daemon", timeout: timeout,
                  limits: limits, random: { 0.5 }) { [weak self] in self?.logs.append("client: " + $0) }
    }

    func connectedClient(role: String = "gateway", timeout: Double = 1,
                         limits: IPCLimits = IPCTestHarness.fastLimits) -> IPCClient {
        let client = makeClient(role: role, timeout: timeout, limits: limits)
        client.start()
        XCTAssertTrue(wait { client.isConnected }, "client did not connect")
        return client
    }

    @discardableResult
    func wait(timeout: Double = 2, _ condition: () -> Bool) -> Bool {
        loop.run(until: condition, timeout: timeout)
    }

    /// Sends a request and runs the loop until it is answered.
    func call(_ client: IPCClient, _ type: String, _ body: JSONObject = [:],
              timeout: Double? = nil) -> Result<JSONObject, IPCError>? {
        var result: Result<JSONObject, IPCError>?
        client.request(type: type, body: body, timeout: timeout) { result = $0 }
        wait { result != nil }
        return result
    }
}

/// A peer that writes raw bytes and reads frames without the IPC classes (to misbehave on purpose).
final class RawIPCPeer {
    let fd: Int32
    private var decoder = IPCFrameDecoder()
    private(set) var messages: [IPCMessage] = []
    private(set) var closedByPeer = false
    private var nextID: Int64 = 0

    init(path: String) throws {
        fd = try Socket.connectUnix(path: path)
    }

    deinit { Socket.close(fd) }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(type: String, body: JSONObject = [:]) {
        nextID += 1
        write(IPCMessage(type: type, id: nextID, body: body).encoded())
    }

    func hello(role: String = "gateway", version: Int64 = 1) {
        send(type: "hello", body: ["v": .int(version), "role": .string(role)])
    }

    /// Reads whatever has arrived (non-blocking) and notes an end of stream.
    func poll() {
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
