import Glibc
import TestSupport
import XCTest
@testable import Shared

final class SocketTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var tempDir: String { temp.path }

    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "ibrat-socket") }

    override func tearDown() { temp = nil }

    func testTCPRoundTripOnEphemeralPort() throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        let port = try XCTUnwrap(Socket.localPort(listener))
        XCTAssertNotEqual(port, 0)
        XCTAssertNil(Socket.accept(listener), "nothing pending yet")

        let client = try connectTCP(family: AF_INET, address: "127.0.0.1", port: port)
        defer { Socket.close(client) }
        let accepted = try XCTUnwrap(acceptWaiting(listener))
        defer { Socket.close(accepted.fd) }
        XCTAssertEqual(accepted.peerAddress, "127.0.0.1")
        XCTAssertNotEqual(fcntl(accepted.fd, F_GETFL) & O_NONBLOCK, 0, "accepted fd is non-blocking")
        XCTAssertNotEqual(fcntl(accepted.fd, F_GETFD) & FD_CLOEXEC, 0, "accepted fd is close-on-exec")
        Socket.setNoDelay(accepted.fd)

        try sendAll(client, Array("ping".utf8))
        XCTAssertEqual(try receive(accepted.fd, count: 4), Array("ping".utf8))
        try sendAll(accepted.fd, Array("pong".utf8))
        XCTAssertEqual(try receive(client, count: 4), Array("pong".utf8))
    }

    func testIPv6LoopbackListener() throws {
        let listener: Int32
        do { listener = try Socket.listenTCP(host: "::1", port: 0) } catch {
            throw XCTSkip("IPv6 loopback unavailable: \(error)")
        }
        defer { Socket.close(listener) }
        let port = try XCTUnwrap(Socket.localPort(listener))
        let client = try connectTCP(family: AF_INET6, address: "::1", port: port)
        defer { Socket.close(client) }
        let accepted = try XCTUnwrap(acceptWaiting(listener))
        defer { Socket.close(accepted.fd) }
        XCTAssertEqual(accepted.peerAddress, "::1")
    }

    func testBusyPortErrorNamesAddressAndErrno() throws {
        let first = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(first) }
        let port = try XCTUnwrap(Socket.localPort(first))
        XCTAssertThrowsError(try Socket.listenTCP(host: "127.0.0.1", port: port)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("bind 127.0.0.1:\(port): "), text)
            XCTAssertEqual((error as? SocketError)?.code, EADDRINUSE)
        }
    }

    func testUnresolvableHostIsAnError() {
        XCTAssertThrowsError(try Socket.listenTCP(host: "no-such-host.invalid", port: 0)) { error in
            XCTAssertTrue(String(describing: error).contains("no-such-host.invalid"))
        }
    }

    func testUnixListenConnectAcceptRoundTrip() throws {
        let path = tempDir + "/queue.sock"
        let listener = try Socket.listenUnix(path: path, mode: 0o600)
        defer { Socket.close(listener) }
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        let client = try Socket.connectUnix(path: path)
        defer { Socket.close(client) }
        XCTAssertNotEqual(fcntl(client, F_GETFL) & O_NONBLOCK, 0, "client fd is non-blocking")
        let accepted = try XCTUnwrap(acceptWaiting(listener))
        defer { Socket.close(accepted.fd) }
        XCTAssertEqual(accepted.peerAddress, "unix")

        try sendAll(client, [0, 0, 0, 2, 123, 125])
        XCTAssertEqual(try receive(accepted.fd, count: 6), [0, 0, 0, 2, 123, 125])
        try sendAll(accepted.fd, Array("ok".utf8))
        XCTAssertEqual(try receive(client, count: 2), Array("ok".utf8))
    }

    func testListenUnixReplacesStaleSocketFile() throws {
        let path = tempDir + "/stale.sock"
        let first = try Socket.listenUnix(path: path)
        Socket.close(first)  // the file stays behind, as after kill -9
        XCTAssertEqual(access(path, F_OK), 0)
        let second = try Socket.listenUnix(path: path)
        defer { Socket.close(second) }
        let client = try Socket.connectUnix(path: path)
        Socket.close(client)
    }

    func testListenUnixRefusesLiveSocketAndRegularFile() throws {
        let live = tempDir + "/live.sock"
        let listener = try Socket.listenUnix(path: live)
        defer { Socket.close(listener) }
        XCTAssertThrowsError(try Socket.listenUnix(path: live)) { error in
            XCTAssertEqual((error as? SocketError)?.code, EADDRINUSE)
        }
        let plain = tempDir + "/plain"
        XCTAssertTrue(FileManager.default.createFile(atPath: plain, contents: Data("x".utf8)))
        XCTAssertThrowsError(try Socket.listenUnix(path: plain)) { error in
            XCTAssertTrue(String(describing: error).contains("is not a socket"), "\(error)")
        }
        XCTAssertEqual(access(plain, F_OK), 0, "a regular file is never deleted")
    }

    func testConnectToMissingSocketSaysNobodyListens() {
        let path = tempDir + "/absent.sock"
        XCTAssertThrowsError(try Socket.connectUnix(path: path)) { error in
            let socketError = error as? SocketError
            XCTAssertEqual(socketError?.isNotListening, true)
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("connect \(path): no daemon is listening"), text)
        }
    }

    func testConnectToClosedListenerIsRefused() throws {
        let path = tempDir + "/closed.sock"
        Socket.close(try Socket.listenUnix(path: path))
        XCTAssertThrowsError(try Socket.connectUnix(path: path)) { error in
            XCTAssertEqual((error as? SocketError)?.code, ECONNREFUSED)
        }
    }

    func testOverlongUnixPathIsRejected() {
        let path = tempDir + "/" + String(repeating: "a", count: 200)
        XCTAssertThrowsError(try Socket.listenUnix(path: path)) { error in
            XCTAssertEqual((error as? SocketError)?.code, ENAMETOOLONG)
        }
    }

    // MARK: helpers

    private func connectTCP(family: Int32, address: String, port: UInt16) throws -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.errno("socket", address) }
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &sin.sin_addr)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            inet_pton(AF_INET6, address, &sin6.sin6_addr)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: sin6, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard rc == 0 else {
            let error = SocketError.errno("connect", address)
            close(fd)
            throw error
        }
        return fd
    }

    private func waitFor(_ fd: Int32, events: Int16) {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        _ = poll(&pfd, 1, 1000)
    }

    private func acceptWaiting(_ listener: Int32) -> AcceptedSocket? {
        waitFor(listener, events: Int16(POLLIN))
        return Socket.accept(listener)
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var buffer = OutboundBuffer()
        buffer.append(bytes)
        while true {
            switch buffer.flush(to: fd) {
            case .drained: return
            case .pending: waitFor(fd, events: Int16(POLLOUT))
            case .failed(let code): throw SocketError(operation: "write", address: "fd \(fd)", code: code)
            }
        }
    }

    private func receive(_ fd: Int32, count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: count)
        while result.count < count {
            waitFor(fd, events: Int16(POLLIN))
            let n = read(fd, &chunk, count - result.count)
            if n > 0 {
                result.append(contentsOf: chunk[0..<n])
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                throw SocketError(operation: "read", address: "fd \(fd)", code: n == 0 ? ECONNRESET : errno)
            }
        }
        return result
    }
}
