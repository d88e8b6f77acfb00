import XCTest
@testable import api_gateway
import Shared

/// `LeadDialabilityCache`: a list page's dialability is reused only for the same leads, the same
/// data version and at most `maxAgeMillis`; an answer fetched while a commit happened is never served.
final class LeadDialabilityCacheTests: XCTestCase {
    private var version: Int64 = 7
    private var now: Int64 = 1_000_000
    private var failVersion = false

    private func makeCache() -> LeadDialabilityCache {
        LeadDialabilityCache(version: { [unowned self] in
            if failVersion { throw HTTPError.notFound("x", message: "y") }
            return version
        }, now: { [unowned self] in now })
    }

    private let answer = JSONObject([("a", .object(JSONObject([("callable", .bool(true))])))])

    func testStoredAnswerIsServedForTheSameLeadsVersionAndAge() {
        let cache = makeCache()
        let first = cache.lookup(ids: ["a", "b"])
        XCTAssertNil(first.cached)
        cache.store(answer, for: first.ticket)
        now += LeadDialabilityCache.maxAgeMillis - 1
        XCTAssertEqual(cache.lookup(ids: ["a", "b"]).cached, answer)
        XCTAssertNil(cache.lookup(ids: ["b", "a"]).cached, "another page (order) is another key")
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
        XCTAssertEqual(cache.hits, 1)
    }

    func testAnswerExpiresAfterMaxAge() {
        let cache = makeCache()
        cache.store(answer, for: cache.lookup(ids: ["a"]).ticket)
        now += LeadDialabilityCache.maxAgeMillis
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
    }

    func testAnyCommitDropsTheAnswer() {
        let cache = makeCache()
        cache.store(answer, for: cache.lookup(ids: ["a"]).ticket)
        version += 1
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
    }

    func testAnswerFetchedAcrossACommitIsNotServed() {
        let cache = makeCache()
        let ticket = cache.lookup(ids: ["a"]).ticket   // version 7 read, then the queue is asked
        version += 1                                   // a commit lands before the answer
        cache.store(answer, for: ticket)
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
    }

    func testWithoutADataVersionNothingIsCached() {
        failVersion = true
        let cache = makeCache()
        cache.store(answer, for: cache.lookup(ids: ["a"]).ticket)
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
        failVersion = false
        XCTAssertNil(cache.lookup(ids: ["a"]).cached)
    }
}
