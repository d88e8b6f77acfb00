import XCTest
@testable import api_gateway
@testable import Shared

/// The read caches behind the lead routes: `LeadQueryCache` (per data_version, expiry, bound),
/// `LeadReadWorker` (off-loop jobs on its own connection, one at a time, coalesced by key) and
/// `LeadRefreshingCache` (stale-while-revalidate for expensive counts), and the available-leads
/// route serving fresh rows with the previous total while the count is refreshed.
final class LeadQueryCacheTests: XCTestCase {
    var h: LeadTestHarness!

    override func setUpWithError() throws { h = try LeadTestHarness() }
    override func tearDown() { h = nil }

    func testQueryCacheVersionExpiryAndBound() {
        let cache = LeadQueryCache<Int>(capacity: 2)
        cache.store("a", version: 1, value: 10, expiresAt: 100)
        XCTAssertEqual(cache.lookup("a", version: 1, now: 99), 10)
        XCTAssertNil(cache.lookup("a", version: 1, now: 100))
        XCTAssertNil(cache.lookup("a", version: 2, now: 0))
        cache.store("b", version: 2, value: 20)
        XCTAssertNil(cache.lookup("a", version: 1, now: 0), "a new version drops the old entries")
        cache.store("c", version: 2, value: 30)
        cache.store("d", version: 2, value: 40)
        XCTAssertLessThanOrEqual(cache.count, 2)
        XCTAssertEqual(cache.lookup("d", version: 2, now: 0), 40)
        XCTAssertEqual(LeadQueryCache<Int>.defaultCapacity, 256)
    }

    func testReadWorkerRunsOffLoopOnItsOwnConnectionAndCoalesces() throws {
        try h.insertLead(phone: "+998900000001")
        let worker = LeadReadWorker(loop: h.loop, path: h.config.dbPath)
        var results: [Int64] = []
        XCTAssertTrue(worker.submit(key: "n", { db in try db.queryOne("SELECT count(*) FROM leads")?.int(at: 0) ?? -1 },
                                    completion: { results.append((try? $0.get()) ?? -2) }))
        XCTAssertFalse(worker.submit(key: "n", { _ in Int64(99) }, completion: { results.append((try? $0.get()) ?? -2) }))
        XCTAssertTrue(worker.submit(key: "m", { db in try db.queryOne("SELECT count(*) FROM calls")?.int(at: 0) ?? -1 },
                                    completion: { results.append((try? $0.get()) ?? -2) }))
        XCTAssertTrue(h.loop.run(until: { worker.pendingCount == 0 }, timeout: 3))
        XCTAssertEqual(results, [1, 0])
        var failure: Error?
        worker.submit(key: "bad", { db in try db.run("DELETE FROM leads") }, completion: {
            if case .failure(let error) = $0 { failure = error }
        })
        XCTAssertTrue(h.loop.run(until: { worker.pendingCount == 0 }, timeout: 3))
        XCTAssertNotNil(failure, "the worker connection is read-only")
    }

    func testRefreshingCacheServesStaleWhileRecomputingOffLoop() throws {
        let worker = LeadReadWorker(loop: h.loop, path: h.config.dbPath)
        let cache = LeadRefreshingCache<Int64>(db: h.ctx.db, worker: worker)
        cache.syncThresholdMicros = 0
        cache.minRefreshIntervalMicros = 0
        var refreshed = 0
        cache.onRefresh = { refreshed += 1 }
        let count: LeadRefreshingCache<Int64>.Compute = { db, _ in
            (try db.queryOne("SELECT count(*) FROM leads")?.int(at: 0) ?? -1, .max)
        }
        XCTAssertEqual(try cache.value("k", version: try h.ctx.db.dataVersion, now: 0, compute: count).value, 0)
        try h.insertLead(phone: "+998900000001")
        let version = try h.ctx.db.dataVersion
        let stale = try cache.value("k", version: version, now: 0, compute: count)
        XCTAssertEqual(stale.value, 0)
        XCTAssertFalse(stale.fresh)
        XCTAssertTrue(h.loop.run(until: { worker.pendingCount == 0 }, timeout: 3))
        XCTAssertEqual(refreshed, 1)
        XCTAssertEqual(cache.refreshes, 1)
        let fresh = try cache.value("k", version: version, now: 0, compute: count)
        XCTAssertEqual(fresh.value, 1)
        XCTAssertTrue(fresh.fresh)
    }

    func testCheapCountsAreRecomputedOnTheLoop() throws {
        let cache = LeadRefreshingCache<Int64>(db: h.ctx.db, worker: LeadReadWorker(loop: h.loop, path: h.config.dbPath))
        cache.syncThresholdMicros = .max
        let count: LeadRefreshingCache<Int64>.Compute = { db, _ in
            (try db.queryOne("SELECT count(*) FROM leads")?.int(at: 0) ?? -1, .max)
        }
        _ = try cache.value("k", version: try h.ctx.db.dataVersion, now: 0, compute: count)
        try h.insertLead(phone: "+998900000001")
        let now = try cache.value("k", version: try h.ctx.db.dataVersion, now: 0, compute: count)
        XCTAssertEqual(now.value, 1)
        XCTAssertTrue(now.fresh)
    }

    func testAvailableRouteKeepsRowsFreshWhileTheTotalCatchesUp() throws {
        h.operatorRoutes.available.counts.syncThresholdMicros = 0
        h.operatorRoutes.available.counts.minRefreshIntervalMicros = 0
        try h.insertLead(phone: "+998900000001")
        try h.insertLead(phone: "+998900000002")
        let first = h.send("GET", "/api/operator/leads/available", as: h.operatorA)
        XCTAssertEqual(first.json["pagination"]?["total"]?.int, 2)
        try h.queueDB.run("UPDATE leads SET status = 'claimed' WHERE phone = '+998900000001'")
        let during = h.send("GET", "/api/operator/leads/available", as: h.operatorA)
        XCTAssertEqual(during.json["leads"]?.array?.compactMap { $0["phone"]?.string }, ["+998900000002"])
        XCTAssertEqual(during.json["pagination"]?["total"]?.int, 2, "previous total while the count runs off the loop")
        let counts = h.operatorRoutes.available.counts
        XCTAssertTrue(h.loop.run(until: { counts.refreshes == 1 }, timeout: 3))
        let after = h.send("GET", "/api/operator/leads/available", as: h.operatorA)
        XCTAssertEqual(after.json["pagination"]?["total"]?.int, 1)
        XCTAssertEqual(after.json["leads"]?.array?.count, 1)
    }

    /// Issue 16: the serialised list page is served again until anything is committed: by another
    /// connection (the queue-daemon's lead writes) or by the gateway's own (a user renamed shows in
    /// `assignedTo` at once).
    func testLeadListPageIsCachedUntilAnyCommitOrOwnWrite() throws {
        let id = try h.insertLead(phone: "+998900000001", name: "First", assignedTo: h.operatorA.id)
        let list = h.leadRoutes.list
        let first = h.send("GET", "/api/leads?limit=20", as: h.admin)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.json["pagination"]?["total"]?.int, 1)
        let hits = list.pageCacheHits
        let again = h.send("GET", "/api/leads?limit=20", as: h.admin)
        XCTAssertEqual(list.pageCacheHits, hits + 1)
        XCTAssertEqual(again.body, first.body)
        XCTAssertEqual(h.send("GET", "/api/leads?limit=10", as: h.admin).status, 200)
        XCTAssertEqual(list.pageCacheHits, hits + 1, "another page size is another entry")

        _ = try h.queueDB.run("UPDATE leads SET name = 'Renamed' WHERE id = ?", [.text(id)])
        let renamed = h.send("GET", "/api/leads?limit=20", as: h.admin)
        XCTAssertEqual(renamed.json["leads"]?.array?.first?["name"]?.string, "Renamed", "a commit by another connection is seen")

        try h.ctx.users.update(id: h.operatorA.id, UserStore.Changes(name: "New Name"), now: h.clock.now)
        let user = h.send("GET", "/api/leads?limit=20", as: h.admin)
        XCTAssertEqual(user.json["leads"]?.array?.first?["assignedTo"]?["name"]?.string, "New Name", "the gateway's own write is seen")
    }
}
