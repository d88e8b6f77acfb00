import XCTest
@testable import api_gateway
@testable import Shared

final class RateLimiterTests: XCTestCase {
    func testFixedWindowPerClient() {
        let clock = ManualWallClock()
        let limiter = RateLimiter(limit: 3, windowSeconds: 60, clock: clock)
        XCTAssertEqual(limiter.check("1.1.1.1"), .init(allowed: true, limit: 3, remaining: 2, resetSeconds: 60))
        clock.advance(byMillis: 10_500)
        XCTAssertEqual(limiter.check("1.1.1.1").remaining, 1)
        XCTAssertEqual(limiter.check("1.1.1.1"), .init(allowed: true, limit: 3, remaining: 0, resetSeconds: 50))
        let refused = limiter.check("1.1.1.1")
        XCTAssertFalse(refused.allowed)
        XCTAssertEqual(refused.remaining, 0)
        XCTAssertTrue(limiter.check("2.2.2.2").allowed, "another client has its own window")
        clock.advance(byMillis: 49_500)
        XCTAssertEqual(limiter.check("1.1.1.1"), .init(allowed: true, limit: 3, remaining: 2, resetSeconds: 60), "a new window")
    }

    /// The defaults (the earlier version's limiter): the 100th request in 15 minutes passes, the
    /// 101st is refused, and the window starts again after 900 s.
    func testDefaultsAllowOneHundredRequestsPerFifteenMinutes() {
        let clock = ManualWallClock()
        let limiter = RateLimiter(clock: clock)
        for _ in 0..<99 { XCTAssertTrue(limiter.check("ip").allowed) }
        XCTAssertEqual(limiter.check("ip"), .init(allowed: true, limit: 100, remaining: 0, resetSeconds: 900))
        XCTAssertFalse(limiter.check("ip").allowed)
        clock.advance(byMillis: 899_999)
        XCTAssertFalse(limiter.check("ip").allowed)
        clock.advance(byMillis: 1)
        XCTAssertEqual(limiter.check("ip").remaining, 99)
    }

    func test429ResponseAndHeaders() throws {
        let limiter = RateLimiter(limit: 1, windowSeconds: 900, clock: ManualWallClock())
        let request = try HTTPRequest(method: "GET", target: "/api/leads")
        let ok = limiter.check("ip")
        RateLimiter.apply(ok, to: request)
        XCTAssertEqual(request.responseHeaders["RateLimit-Limit"], "1")
        XCTAssertEqual(request.responseHeaders["RateLimit-Remaining"], "0")
        XCTAssertEqual(request.responseHeaders["RateLimit-Reset"], "900")
        XCTAssertNil(request.responseHeaders["Retry-After"])
        let response = RateLimiter.tooManyRequests(limiter.check("ip"))
        XCTAssertEqual(response.status, 429)
        XCTAssertEqual(response.headers["Retry-After"], "900")
        XCTAssertEqual(response.headers["RateLimit-Remaining"], "0")
        XCTAssertEqual(try JSON.parse(response.body), .object([
            "error": "Too Many Requests", "message": "Too many requests, please try again later.",
        ]))
    }

    func testExpiredWindowsArePruned() {
        let clock = ManualWallClock()
        let limiter = RateLimiter(limit: 5, windowSeconds: 10, clock: clock)
        for i in 0..<50 { _ = limiter.check("10.0.0.\(i)") }
        XCTAssertEqual(limiter.trackedClients, 50)
        clock.advance(byMillis: 10_000)
        _ = limiter.check("fresh")
        XCTAssertEqual(limiter.trackedClients, 1, "the periodic sweep dropped the expired windows")
    }

    func testTrackedClientsAreCappedWithASharedOverflowWindow() {
        let clock = ManualWallClock()
        let limiter = RateLimiter(limit: 2, windowSeconds: 900, clock: clock, maxTrackedClients: 10)
        for i in 0..<10 { XCTAssertTrue(limiter.check("c\(i)").allowed) }
        XCTAssertTrue(limiter.check("new1").allowed)
        XCTAssertTrue(limiter.check("new2").allowed)
        XCTAssertFalse(limiter.check("new3").allowed, "overflow clients share one window")
        XCTAssertEqual(limiter.trackedClients, 11)
        XCTAssertTrue(limiter.check("c0").allowed, "tracked clients keep their own window")
    }
}
