import XCTest
@testable import Shared

final class IPCBackoffTests: XCTestCase {
    func testDoublesUpToTheCeilingWithoutJitterAtMidpoint() {
        var backoff = IPCBackoff()
        let delays = (0..<9).map { _ in backoff.nextDelay(unit: 0.5) }
        let expected = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0]
        for (d, e) in zip(delays, expected) { XCTAssertEqual(d, e, accuracy: 1e-9) }
    }

    func testJitterBoundsAreThirtyPercent() {
        var low = IPCBackoff()
        var high = IPCBackoff()
        XCTAssertEqual(low.nextDelay(unit: 0), 0.035, accuracy: 1e-9)
        XCTAssertEqual(high.nextDelay(unit: 1), 0.065, accuracy: 1e-9)
        XCTAssertEqual(IPCLimits.reconnectJitter, 0.3)
        XCTAssertEqual(IPCLimits.reconnectInitialDelay, 0.05)
        XCTAssertEqual(IPCLimits.reconnectMaxDelay, 2.0)
    }

    func testSeededDrawsStayWithinBounds() {
        var rng = SeededRandom(seed: 7)
        var backoff = IPCBackoff()
        var spread = Set<Double>()
        for _ in 0..<200 {
            let base = backoff.nextBase
            let delay = backoff.nextDelay(unit: Double.random(in: 0..<1, using: &rng))
            XCTAssertGreaterThanOrEqual(delay, base * 0.7 - 1e-12)
            XCTAssertLessThanOrEqual(delay, base * 1.3 + 1e-12)
            spread.insert(delay)
        }
        XCTAssertGreaterThan(spread.count, 100)
    }

    func testResetStartsOver() {
        var backoff = IPCBackoff()
        for _ in 0..<5 { _ = backoff.nextDelay(unit: 0.5) }
        backoff.reset()
        XCTAssertEqual(backoff.nextDelay(unit: 0.5), 0.05, accuracy: 1e-9)
    }
}
