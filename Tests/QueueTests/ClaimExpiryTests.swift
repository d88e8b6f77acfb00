/// `ClaimExpiry`: which claims expired, the next expiry for the timer, re-claims and releases,
/// runtime timeout changes, range checks and `sync` from lead snapshots.

import XCTest
import Shared
@testable import queue_daemon

final class ClaimExpiryTests: XCTestCase {
    let minute: Int64 = 60_000

    func testDefaultsAndLimits() throws {
        XCTAssertEqual(try ClaimExpiry().timeoutMillis, 1_800_000)
        XCTAssertThrowsError(try ClaimExpiry(timeoutMillis: 59_999)) { error in
            XCTAssertEqual((error as? DomainConfigError)?.name, "claimTimeoutMillis")
        }
        XCTAssertThrowsError(try ClaimExpiry(timeoutMillis: 86_400_001))
        XCTAssertTrue(ClaimExpiry.isExpired(claimedAt: 0, timeoutMillis: 10, now: 10))
        XCTAssertFalse(ClaimExpiry.isExpired(claimedAt: 0, timeoutMillis: 10, now: 9))
    }

    func testExpiredClaimsOldestFirstAndNextExpiry() throws {
        let c = try ClaimExpiry()
        XCTAssertNil(c.nextExpiry())
        c.track(leadId: "b", claimedAt: 2 * minute)
        c.track(leadId: "a", claimedAt: 1 * minute)
        c.track(leadId: "c", claimedAt: 10 * minute)
        XCTAssertEqual(c.nextExpiry(), 31 * minute)
        XCTAssertEqual(c.expired(now: 31 * minute - 1), [])
        XCTAssertEqual(c.expired(now: 32 * minute), [ExpiredClaim(leadId: "a", claimedAt: minute),
                                                     ExpiredClaim(leadId: "b", claimedAt: 2 * minute)])
        XCTAssertEqual(c.count, 1)
        XCTAssertEqual(c.expired(now: 32 * minute), [], "reported once")
        XCTAssertEqual(c.nextExpiry(), 40 * minute)
        XCTAssertEqual(c.expiresAt("c"), 40 * minute)
    }

    func testUntrackAndReclaim() throws {
        let c = try ClaimExpiry()
        c.track(leadId: "a", claimedAt: 0)
        c.untrack(leadId: "a")
        XCTAssertFalse(c.isTracking("a"))
        XCTAssertNil(c.nextExpiry())
        XCTAssertEqual(c.expired(now: 999 * minute), [])
        c.track(leadId: "a", claimedAt: 5 * minute)
        c.track(leadId: "a", claimedAt: 20 * minute)
        XCTAssertEqual(c.nextExpiry(), 50 * minute, "the newer claim replaces the older")
        XCTAssertEqual(c.expired(now: 49 * minute), [])
        XCTAssertEqual(c.expired(now: 50 * minute).map(\.leadId), ["a"])
    }

    func testTimeoutChangeAppliesToTrackedClaims() throws {
        let c = try ClaimExpiry()
        c.track(leadId: "a", claimedAt: 0)
        try c.setTimeout(millis: 5 * minute)
        XCTAssertEqual(c.nextExpiry(), 5 * minute)
        XCTAssertThrowsError(try c.setTimeout(millis: 0))
        XCTAssertEqual(c.timeoutMillis, 5 * minute)
    }

    func testSyncFromSnapshots() throws {
        let c = try ClaimExpiry()
        var lead = LeadSnapshot(id: "x", status: .claimed, assignedTo: "op1", claimedAt: 7 * minute, createdAt: 0)
        c.sync(lead)
        XCTAssertEqual(c.expiresAt("x"), 37 * minute)
        lead.status = .calling
        c.sync(lead)
        XCTAssertFalse(c.isTracking("x"))
        c.sync(LeadSnapshot(id: "y", status: .claimed, assignedTo: "op1", createdAt: 0))
        XCTAssertEqual(c.expired(now: 0).map(\.leadId), ["y"], "a claim without claimedAt expires at once")
        c.sync(LeadSnapshot(id: "z", status: .claimed, isActive: false, assignedTo: "op1", claimedAt: 0, createdAt: 0))
        XCTAssertFalse(c.isTracking("z"))
    }

    func testChurnKeepsHeapBounded() throws {
        let c = try ClaimExpiry()
        for i in 0..<10_000 {
            c.track(leadId: "l\(i % 20)", claimedAt: Int64(i))
            if i % 3 == 0 { c.untrack(leadId: "l\((i * 7) % 20)") }
        }
        XCTAssertLessThanOrEqual(c.heapNodeCount, 2 * c.count + ClaimExpiry.compactionSlack + 1)
        let all = c.expired(now: Int64.max)
        XCTAssertEqual(all.count, Set(all.map(\.leadId)).count)
        XCTAssertEqual(c.count, 0)
    }
}
