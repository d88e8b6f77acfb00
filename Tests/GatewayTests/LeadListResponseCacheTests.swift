import XCTest
@testable import api_gateway
import Shared

/// `LeadListResponseCache` on its own: keys separate callers (an operator never gets an admin's
/// page or another operator's), an entry is served only for its stamp and before its expiry, and a
/// late answer for an older stamp neither is stored nor evicts newer ones.
final class LeadListResponseCacheTests: XCTestCase {
    private let admin1 = AuthUser(id: "aaaaaaaaaaaaaaaaaaaaaaaa", role: .admin, name: "A", email: "a@x.uz")
    private let admin2 = AuthUser(id: "dddddddddddddddddddddddd", role: .admin, name: "D", email: "d@x.uz")
    private let opA = AuthUser(id: "bbbbbbbbbbbbbbbbbbbbbbbb", role: .operator_, name: "B", email: "b@x.uz")
    private let opB = AuthUser(id: "cccccccccccccccccccccccc", role: .operator_, name: "C", email: "c@x.uz")
    private let body: [UInt8] = Array("{\"leads\":[]}".utf8)

    /// Same filter, different callers: admins share one answer, every operator has their own.
    func testKeysSeparateAdminsFromOperatorsAndOperatorsFromEachOther() {
        let filter = LeadListFilter()
        let rows: [(AuthUser, AuthUser, Bool)] = [
            (admin1, admin2, true),
            (admin1, opA, false),
            (opA, opB, false),
            (opA, opA, true),
        ]
        for (i, (x, y, same)) in rows.enumerated() {
            XCTAssertEqual(LeadListResponseCache.key(filter, caller: x) == LeadListResponseCache.key(filter, caller: y),
                           same, "row \(i)")
        }
        // Even an operator filter that matched an admin's would not share its key.
        var scoped = filter
        scoped.visibleTo = opA.id
        XCTAssertNotEqual(LeadListResponseCache.key(scoped, caller: admin1), LeadListResponseCache.key(scoped, caller: opA))
    }

    /// Anything that changes the answer changes the key.
    func testKeysFollowEveryPartOfTheQuery() {
        var variants: [LeadListFilter] = [LeadListFilter()]
        var f = LeadListFilter(); f.page = 2; variants.append(f)
        f = LeadListFilter(); f.limit = 21; variants.append(f)
        f = LeadListFilter(); f.status = .claimed; variants.append(f)
        f = LeadListFilter(); f.priority = .urgent; variants.append(f)
        f = LeadListFilter(); f.search = "ab"; variants.append(f)
        f = LeadListFilter(); f.search = "a|b"; variants.append(f)
        f = LeadListFilter(); f.assignedTo = opA.id; variants.append(f)
        f = LeadListFilter(); f.doNotCall = true; variants.append(f)
        f = LeadListFilter(); f.doNotCall = false; variants.append(f)
        f = LeadListFilter(); f.includeDeleted = true; variants.append(f)
        f = LeadListFilter(); f.sort = .name; variants.append(f)
        f = LeadListFilter(); f.descending = false; variants.append(f)
        let keys = variants.map { LeadListResponseCache.key($0, caller: admin1) }
        XCTAssertEqual(Set(keys).count, keys.count, "\(keys)")
    }

    func testServedOnlyForItsStampAndBeforeItsExpiry() {
        let cache = LeadListResponseCache()
        cache.store("k", stamp: 3, body: body, validUntil: 2_000)
        XCTAssertEqual(cache.lookup("k", stamp: 3, now: 1_999), body)
        XCTAssertNil(cache.lookup("k", stamp: 3, now: 2_000), "the dialability bound has passed")
        XCTAssertNil(cache.lookup("k", stamp: 4, now: 1_000), "something was committed since")
        XCTAssertNil(cache.lookup("other", stamp: 3, now: 1_000))
        XCTAssertEqual(cache.hits, 1)
    }

    func testANewStampDropsEveryOlderAnswer() {
        let cache = LeadListResponseCache()
        cache.store("a", stamp: 3, body: body, validUntil: .max)
        cache.store("b", stamp: 4, body: body, validUntil: .max)
        XCTAssertNil(cache.lookup("a", stamp: 3, now: 0))
        XCTAssertEqual(cache.count, 1)
    }

    /// An answer that waited for the queue-daemon while a commit moved the stamp arrives late:
    /// it is not kept, and the newer answers stay.
    func testALateAnswerForAnOlderStampIsNotKept() {
        let cache = LeadListResponseCache()
        cache.store("new", stamp: 5, body: body, validUntil: .max)
        cache.store("late", stamp: 4, body: Array("old".utf8), validUntil: .max)
        XCTAssertNil(cache.lookup("late", stamp: 4, now: 0))
        XCTAssertNil(cache.lookup("late", stamp: 5, now: 0))
        XCTAssertEqual(cache.lookup("new", stamp: 5, now: 0), body)
    }

    func testBoundedAndClearable() {
        let cache = LeadListResponseCache(capacity: 2)
        for key in ["a", "b", "c"] { cache.store(key, stamp: 1, body: body, validUntil: .max) }
        XCTAssertLessThanOrEqual(cache.count, 2)
        XCTAssertEqual(cache.lookup("c", stamp: 1, now: 0), body)
        cache.removeAll()
        XCTAssertEqual(cache.count, 0)
        cache.store("a", stamp: 1, body: body, validUntil: .max)  // stamps start over after a clear
        XCTAssertEqual(cache.lookup("a", stamp: 1, now: 0), body)
    }
}
