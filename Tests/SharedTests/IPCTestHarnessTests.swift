import Glibc
import TestSupport
import XCTest
@testable import Shared

/// Shared fixtures for the IPC tests (no tests of its own): a temp directory with a socket path,
/// one event loop, helpers to build servers and clients on it, and a raw peer that speaks bytes.
final class IPCTestHarness {
    let directory: String
    private let temp: TemporaryDirectory
    let path: String
    let loop: EventLoop
    var logs: [String] = []
    /// Servers made here stay alive as long as the harness (tests may ignore the handle).
    private(set) var servers: [IPCServer] = []

    init() throws {
        temp = try TemporaryDirectory(prefix: "ipc-test")
        directory = temp.path
        path = directory + "/queue.sock"
        loop = try EventLoop()
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

    /// Connection attempts that failed and were scheduled for a retry, over every client made
    /// here (each draws one jitter unit from `random`): the observable event for "the client has
    /// tried again", instead of a fixed wait.
    private(set) var failedConnects = 0

    func makeClient(role: String = "gateway", timeout: Double = 1,
                    limits: IPCLimits = IPCTestHarness.fastLimits) -> IPCClient {
        IPCClient(loop: loop, path: path, role: role, peerName: "queue-daemon", timeout: timeout,
                  limits: limits, random: { [weak self] in self?.failedConnects += 1; return 0.5 }) { [weak self] in
            self?.logs.append("client: " + $0)
        }
    }

    /// Runs the loop until `count` more connection attempts have failed (see `failedConnects`).
    @discardableResult
    func waitForFailedConnects(_ count: Int, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let target = failedConnects + count
        let ok = wait { self.failedConnects >= target }
        XCTAssertTrue(ok, "expected \(count) more failed connection attempts", file: file, line: line)
        return ok
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
