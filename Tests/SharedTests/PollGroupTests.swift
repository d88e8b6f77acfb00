import Glibc
import XCTest
@testable import Shared

/// `PollGroup`: members on one loop source, every ready member served per wake-up,
/// level-triggered, interest changes, and cancelled members never called again.
final class PollGroupTests: XCTestCase {
    private func pair() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw SocketError.errno("socketpair", "test")
        }
        return (fds[0], fds[1])
    }

    func testEveryReadyMemberIsServed() throws {
        let loop = try EventLoop()
        let group = try PollGroup(loop: loop)
        var seen: [Int] = []
        var fds: [(Int32, Int32)] = []
        for i in 0..<3 {
            let (a, b) = try pair()
            fds.append((a, b))
            _ = try group.add(fd: a, events: .readable) { events in
                if events.contains(.readable) {
                    var byte: UInt8 = 0
                    _ = read(a, &byte, 1)
                    seen.append(i)
                }
            }
            _ = write(b, "x", 1)
        }
        XCTAssertEqual(group.count, 3)
        XCTAssertTrue(loop.run(until: { seen.count == 3 }, timeout: 2))
        XCTAssertEqual(Set(seen), [0, 1, 2])
        for (a, b) in fds { close(a); close(b) }
    }

    func testLevelTriggeredInterestAndCancel() throws {
        let loop = try EventLoop()
        let group = try PollGroup(loop: loop, maxEventsPerWake: 1)
        let (a, b) = try pair()
        defer { close(a); close(b) }
        var calls = 0
        var member: PollMember?
        member = try group.add(fd: a, events: .readable) { _ in
            calls += 1 // unread data: reported again on the next wake-up
            if calls == 3 { member?.cancel() }
        }
        _ = write(b, "x", 1)
        XCTAssertTrue(loop.run(until: { calls >= 3 }, timeout: 2))
        // A fence member with unread data is reported at every wake-up; with one event per
        // wake-up, level-triggered readiness takes turns, so a live `a` would be called again.
        let (c, d) = try pair()
        defer { close(c); close(d) }
        var fenceCalls = 0
        let fence = try group.add(fd: c, events: .readable) { _ in fenceCalls += 1 }
        _ = write(d, "x", 1)
        XCTAssertTrue(loop.run(until: { fenceCalls >= 3 }, timeout: 2))
        XCTAssertEqual(calls, 3)
        fence.cancel()
        XCTAssertEqual(group.count, 0)

        var writable = false
        let other = try group.add(fd: b, events: []) { events in if events.contains(.writable) { writable = true } }
        let fence2 = try group.add(fd: c, events: .readable) { _ in fenceCalls += 1 }
        let before = fenceCalls
        XCTAssertTrue(loop.run(until: { fenceCalls >= before + 3 }, timeout: 2))
        fence2.cancel()
        XCTAssertFalse(writable, "no interest, no call, though the socket is writable")
        other.setEvents(.writable)
        XCTAssertTrue(loop.run(until: { writable }, timeout: 2))
        other.cancel()
        other.cancel()
        XCTAssertEqual(PollGroup.defaultMaxEventsPerWake, 256)
    }
}
