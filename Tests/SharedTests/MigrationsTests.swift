import Foundation
import TestSupport
import XCTest
@testable import Shared

final class MigrationsTests: XCTestCase {
    var dir: TemporaryDatabaseDirectory!
    let now: Int64 = 1_705_314_600_000

    override func setUp() { dir = TemporaryDatabaseDirectory() }
    override func tearDown() { dir = nil }

    private func objects(_ db: Database, type: String) throws -> Set<String> {
        Set(try db.query("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
                         [.text(type)]).map { $0.string("name") })
    }

    func testEachOwnerCreatesOnlyItsTables() throws {
        let expectedIndexes: [TableOwner: Set<String>] = [
            .gateway: ["idempotency_keys_created"],
            .queue: ["leads_status_active_rank_created", "leads_assigned_status", "leads_created",
                     "lead_events_lead_at", "leads_unknown_timezone", "leads_do_not_call", "leads_callback_operator",
                     "dnc_created", "leads_assigned_rank"],
            .dialer: ["calls_lead_created", "calls_operator_created", "calls_status_created", "calls_created",
                      "calls_disposition"],
        ]
        for owner in TableOwner.allCases {
            let path = dir.path("\(owner.rawValue).sqlite")
            let db = try Database(path: path, owner: owner)
            try Schema.migrate(db, owner: owner, now: now)
            XCTAssertEqual(try objects(db, type: "table"), Set(owner.ownedTables), owner.rawValue)
            XCTAssertEqual(try objects(db, type: "index"), expectedIndexes[owner], owner.rawValue)
            db.close()
        }
    }

    /// Issue 16: a daemon's migration waits for another's (the counters' recount holds the write
    /// lock for seconds on a large database) instead of failing after the usual busy timeout. The
    /// holder lets go only once the migration is seen still waiting past that usual timeout.
    func testAMigrationWaitsForAnotherWriter() throws {
        let usualMillis: Int32 = 50
        let path = dir.path()
        let other = try Database(path: path, owner: .queue)
        defer { other.close() }
        try other.execute("BEGIN IMMEDIATE")
        let pastUsualTimeout = DispatchSemaphore(value: 0)
        let released = expectation(description: "lock released")
        let holder = HandOff(other)  // this thread does not touch `other` until the expectation is met
        DispatchQueue.global().async {
            _ = pastUsualTimeout.wait(timeout: .now() + 30)
            try? holder.value.execute("COMMIT")
            released.fulfill()
        }
        let db = try Database(path: path, owner: .dialer, busyTimeoutMillis: usualMillis)
        defer { db.close() }
        var longestWait: Int64 = 0
        db.observeLockWaits { waited in
            longestWait = max(longestWait, waited)
            if waited > Int64(usualMillis) * 1000 { pastUsualTimeout.signal() }
        }
        try Schema.migrate(db, owner: .dialer, now: now)
        wait(for: [released], timeout: 30)
        XCTAssertGreaterThan(longestWait, Int64(usualMillis) * 1000, "the migration waited longer than the usual timeout")
        XCTAssertEqual(try Schema.appliedVersions(db, owner: .dialer), Set(Schema.migrations(for: .dialer).map(\.version)))
        XCTAssertEqual(db.busyTimeoutMillis, usualMillis, "the usual timeout is back")
    }

    func testALockWaitGivesUpAfterTheBusyTimeout() throws {
        let other = try Database(path: dir.path(), owner: nil)
        defer { other.close() }
        let db = try Database(path: dir.path(), owner: nil, busyTimeoutMillis: 30)
        defer { db.close() }
        var waits: [Int64] = []
        db.observeLockWaits { waits.append($0) }
        try other.execute("BEGIN IMMEDIATE")
        XCTAssertThrowsError(try db.execute("CREATE TABLE probe(x)")) {
            XCTAssertTrue(($0 as? DatabaseError)?.isBusy == true, "\($0)")
        }
        try other.execute("COMMIT")
        XCTAssertEqual(waits, (0..<waits.count).map { BusyBackoff.waitedMicros(before: $0) }, "BusyBackoff's pauses")
        XCTAssertLessThan(waits.last ?? .max, 30_000)
        XCTAssertGreaterThanOrEqual(BusyBackoff.waitedMicros(before: waits.count), 30_000, "given up at the 30 ms timeout")
    }

    func testIdempotentAndRecorded() throws {
        let db = try Database(path: dir.path(), owner: .queue)
        try Schema.migrate(db, owner: .queue, now: now)
        let schemaBefore = try db.query("SELECT sql FROM sqlite_master ORDER BY name").map { $0.string("sql") }
        try Schema.migrate(db, owner: .queue, now: now + 1000)
        XCTAssertEqual(try db.query("SELECT sql FROM sqlite_master ORDER BY name").map { $0.string("sql") }, schemaBefore)
        let recorded = try db.query("SELECT version, applied_at FROM queue_migrations ORDER BY version")
        XCTAssertEqual(recorded.map { $0.int("version") }, Schema.migrations(for: .queue).map(\.version))
        XCTAssertEqual(recorded.first?.int("applied_at"), now)
        XCTAssertEqual(try Schema.appliedVersions(db, owner: .queue), Set(Schema.migrations(for: .queue).map(\.version)))
        XCTAssertEqual(try Schema.appliedVersions(db, owner: .dialer), [])
    }

    func testAllOwnersShareOneFile() throws {
        var connections: [Database] = []
        for owner in TableOwner.allCases {
            let db = try Database(path: dir.path(), owner: owner)
            try Schema.migrate(db, owner: owner, now: now)
            try Schema.migrate(db, owner: owner, now: now)
            connections.append(db)
        }
        let all = Set(TableOwner.allCases.flatMap(\.ownedTables))
        XCTAssertEqual(try objects(connections[0], type: "table"), all)
        // A daemon cannot run another owner's migrations.
        let gateway = connections[0]
        let fresh = try Database(path: dir.path("other.sqlite"), owner: .gateway)
        XCTAssertThrowsError(try Schema.migrate(fresh, owner: .queue, now: now)) { error in
            XCTAssertEqual((error as? DatabaseError)?.isAuthDenied, true)
        }
        fresh.close()
        XCTAssertEqual(try gateway.query("SELECT * FROM leads").count, 0)
        connections.forEach { $0.close() }
    }

    func testColumnDefaults() throws {
        let db = try Database(path: dir.path(), owner: .queue)
        defer { db.close() }
        try Schema.migrate(db, owner: .queue, now: now)
        try db.run("INSERT INTO leads(id, phone, created_at, updated_at) VALUES(?, ?, ?, ?)",
                   [.text(ObjectID.generate(nowMillis: now)), "+998901234567", .int(now), .int(now)])
        let lead = try db.queryOne("SELECT * FROM leads")
        XCTAssertEqual(lead?.string("status"), "pending")
        XCTAssertEqual(lead?.string("priority"), "medium")
        XCTAssertEqual(lead?.int("priority_rank"), 2)
        XCTAssertEqual(lead?.string("tags"), "[]")
        XCTAssertEqual(lead?.string("source"), "manual")
        XCTAssertEqual(lead?.bool("is_active"), true)
        XCTAssertNil(lead?.optionalString("assigned_to"))
        XCTAssertThrowsError(try db.run("INSERT INTO leads(id, phone, created_at, updated_at) VALUES('x', '+998901234567', 1, 1)")) {
            XCTAssertEqual(($0 as? DatabaseError)?.isUniqueViolation, true)
        }
    }

    func testLeadListUsesIndex() throws {
        let db = try Database(path: dir.path(), owner: .queue)
        defer { db.close() }
        try Schema.migrate(db, owner: .queue, now: now)
        let plan = try db.query("""
            EXPLAIN QUERY PLAN SELECT * FROM leads WHERE status = ? AND is_active = 1
            ORDER BY priority_rank, created_at LIMIT 20
            """, ["pending"]).map { $0.string("detail") }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("leads_status_active_rank_created"), plan)
        XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
    }
}
