import TestSupport
import XCTest
@testable import Shared

final class EventLoopTests: XCTestCase {
    func testTimersFireInOrderAndCancelledTimerDoesNot() throws {
        let loop = try EventLoop()
        var fired: [String] = []
        loop.schedule(after: 0.02) { fired.append("b") }
        loop.schedule(after: 0.01) { fired.append("a") }
        let cancelled = loop.schedule(after: 0.015) { fired.append("x") }
        cancelled.cancel()
        XCTAssertTrue(loop.run(until: { fired.count == 2 }, timeout: 2))
        XCTAssertEqual(fired, ["a", "b"])
    }

    func testRepeatingTimerAndRearm() throws {
        let loop = try EventLoop()
        var count = 0
        let timer = loop.repeating(every: 0.005) { count += 1 }
        XCTAssertTrue(loop.run(until: { count >= 3 }, timeout: 2))
        timer.cancel()
        XCTAssertFalse(timer.isActive)
        let after = count
        XCTAssertTrue(loop.runPastFence(after: 0.03))  // six periods of the cancelled timer
        XCTAssertEqual(count, after)
    }

    func testPostFromOtherThreadRunsOnLoop() throws {
        let loop = try EventLoop()
        var result = 0
        loop.runOnWorker({ 21 * 2 }) { result = $0 }
        XCTAssertTrue(loop.run(until: { result == 42 }, timeout: 2))
    }

    func testIOReadiness() throws {
        let loop = try EventLoop()
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        var got = ""
        let src = try loop.addIO(fd: fds[0], events: .readable) { _ in
            var buf = [UInt8](repeating: 0, count: 16)
            let n = read(fds[0], &buf, 16)
            got += String(decoding: buf[0..<max(0, n)], as: UTF8.self)
        }
        _ = "hi".withCString { write(fds[1], $0, 2) }
        XCTAssertTrue(loop.run(until: { got == "hi" }, timeout: 2))
        src.cancel()
        close(fds[0]); close(fds[1])
    }
}

final class EventLoopTimerAccuracyTests: XCTestCase {
    /// sd-event's default accuracy (250 ms) must not apply: a 0 s timer fires on the next turns.
    func testZeroDelayTimerIsNotCoalescedBy250ms() throws {
        XCTAssertEqual(EventLoop.timerAccuracyMicros, 1000)
        let loop = try EventLoop()
        var fired = false
        let start = MonotonicClock.seconds()
        loop.schedule(after: 0) { fired = true }
        XCTAssertTrue(loop.run(until: { fired }, timeout: 2))
        XCTAssertLessThan(MonotonicClock.seconds() - start, 0.2)
    }
}
