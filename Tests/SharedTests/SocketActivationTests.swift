import Glibc
import XCTest
@testable import Shared

final class SocketActivationTests: XCTestCase {
    func testUDPSocketIsRefusedWithClearError() throws {
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(udp, 0)
        defer { Socket.close(udp) }
        XCTAssertThrowsError(try SocketActivation.checkStream(fd: udp, name: "http", expectTCP: true)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("socket \"http\" (fd \(udp))"), text)
            XCTAssertTrue(text.contains("expected a listening TCP stream socket"), text)
            XCTAssertTrue(text.contains("UDP datagram"), text)
        }
    }

    func testListeningTCPSocketIsAcceptedOnlyAsTCP() throws {
        let listener = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        defer { Socket.close(listener) }
        XCTAssertNoThrow(try SocketActivation.checkStream(fd: listener, name: "http", expectTCP: true))
        XCTAssertThrowsError(try SocketActivation.checkStream(fd: listener, name: "queue", expectTCP: false)) { error in
            XCTAssertTrue(String(describing: error).contains("expected a listening Unix stream socket"))
        }
    }

    func testListeningUnixSocketIsAcceptedOnlyAsUnix() throws {
        let path = "/tmp/ibrat-activation-\(getpid()).sock"
        let listener = try Socket.listenUnix(path: path)
        defer { Socket.close(listener); unlink(path) }
        XCTAssertNoThrow(try SocketActivation.checkStream(fd: listener, name: "queue", expectTCP: false))
        XCTAssertThrowsError(try SocketActivation.checkStream(fd: listener, name: "http", expectTCP: true))
    }

    func testNonListeningStreamSocketIsRefused() throws {
        let plain = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Socket.close(plain) }
        XCTAssertThrowsError(try SocketActivation.checkStream(fd: plain, name: "http", expectTCP: true)) { error in
            XCTAssertTrue(String(describing: error).contains("non-listening stream"), "\(error)")
        }
    }

    func testNoListenersWithoutSocketActivation() {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDNAMES")
        XCTAssertEqual(SocketActivation.takeListeners(), [:])
    }
}
