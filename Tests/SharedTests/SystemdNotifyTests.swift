import Glibc
import XCTest
@testable import Shared

final class SystemdNotifyTests: XCTestCase {
    private var socketFD: Int32 = -1
    private var path = ""

    override func setUpWithError() throws {
        path = "/tmp/ibrat-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        socketFD = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        XCTAssertGreaterThanOrEqual(socketFD, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        XCTAssertEqual(rc, 0, String(cString: strerror(errno)))
        setenv("NOTIFY_SOCKET", path, 1)
    }

    override func tearDown() {
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        unsetenv("WATCHDOG_PID")
        close(socketFD)
        unlink(path)
    }

    private func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(socketFD, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return n >= 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    func testReadyWithStatus() {
        XCTAssertTrue(SystemdNotify.isAvailable)
        XCTAssertTrue(SystemdNotify.ready(status: "x"))
        XCTAssertEqual(receive(), "READY=1\nSTATUS=x")
    }

    func testOtherMessages() {
        SystemdNotify.ready()
        XCTAssertEqual(receive(), "READY=1")
        SystemdNotify.status("42 leads pending\nREADY=1")
        XCTAssertEqual(receive(), "STATUS=42 leads pending READY=1", "newlines cannot inject assignments")
        SystemdNotify.stopping()
        XCTAssertEqual(receive(), "STOPPING=1")
        SystemdNotify.watchdogPing()
        XCTAssertEqual(receive(), "WATCHDOG=1")
        SystemdNotify.reloading()
        let reload = receive() ?? ""
        XCTAssertTrue(reload.hasPrefix("RELOADING=1\nMONOTONIC_USEC="), reload)
        XCTAssertNotNil(UInt64(reload.split(separator: "=").last ?? ""))
    }

    func testNoSocketMeansNoOp() {
        unsetenv("NOTIFY_SOCKET")
        XCTAssertFalse(SystemdNotify.isAvailable)
        XCTAssertFalse(SystemdNotify.ready(status: "x"))
        XCTAssertNil(receive())
    }

    func testWatchdogInterval() {
        unsetenv("WATCHDOG_USEC")
        XCTAssertNil(SystemdNotify.watchdogInterval)
        setenv("WATCHDOG_USEC", "2000000", 1)
        setenv("WATCHDOG_PID", String(getpid()), 1)
        XCTAssertEqual(SystemdNotify.watchdogInterval, 2.0)
        setenv("WATCHDOG_PID", "1", 1)
        XCTAssertNil(SystemdNotify.watchdogInterval, "a watchdog meant for another process is ignored")
    }
}
