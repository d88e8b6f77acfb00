import TestSupport
import XCTest
@testable import Shared

/// `CountedAggregate` (issue 16): the generated triggers keep a toy aggregate equal to a full
/// recount through a seeded random mix of inserts, updates (counted and uncounted columns, the
/// filter flipping, many rows at once) and deletes; the mismatch query notices a drifted count;
/// a migration counts rows that existed before it.
final class CountedAggregateTests: XCTestCase {
    var dir: TemporaryDatabaseDirectory!
    var db: Database!

    static let toy = CountedAggregate(
        table: "toy_counts", source: "toy",
        keys: [.init("grp", "coalesce({r}grp, '')"), .init("big", "(coalesce({r}v, 0) >= 50)")],
        measures: [.init("n", "1"), .init("total", "coalesce({r}v, 0)")],
        filter: "{r}live = 1", keyTypes: ["grp": "TEXT"])

    override func setUpWithError() throws {
        dir = TemporaryDatabaseDirectory()
        db = try Database(path: dir.path(), owner: nil)
        try db.execute("CREATE TABLE toy(id INTEGER PRIMARY KEY, grp TEXT, v INTEGER, live INTEGER NOT NULL, note TEXT)")
    }

    override func tearDown() {
        db?.close()
        db = nil
        dir = nil
    }

    func testWatchedColumnsAreTheColumnsTheExpressionsRead() {
        XCTAssertEqual(Self.toy.watchedColumns, ["grp", "v", "live"])
        XCTAssertEqual(LeadCounts.aggregate.watchedColumns, ["status", "priority_rank", "timezone_source", "is_active"])
    }

    func testRandomWritesKeepTheCountsEqualToARecount() throws {
        try db.execute(Self.toy.createSQL)
        var rng = SeededRandom(seed: 16)
        let groups: [SQLValue] = [.text("a"), .text("b"), .text("c"), .null]
        var nextID: Int64 = 1
        for round in 0..<40 {
            try db.transaction {
                for _ in 0..<25 {
                    let id = SQLValue.int(Int64(rng.next(in: 1...max(1, Int(nextID)))))
                    switch rng.next(in: 0...6) {
                    case 0, 1:
                        try db.run("INSERT INTO toy(id, grp, v, live) VALUES(?, ?, ?, ?)",
                                   [.int(nextID), groups[rng.next(in: 0...3)], rng.next(in: 0...9) == 0 ? .null
                                    : .int(Int64(rng.next(in: 0...99))), .int(Int64(rng.next(in: 0...3) == 0 ? 0 : 1))])
                        nextID += 1
                    case 2: try db.run("UPDATE toy SET v = ? WHERE id = ?", [.int(Int64(rng.next(in: 0...99))), id])
                    case 3: try db.run("UPDATE toy SET grp = ?, live = 1 - live WHERE id = ?", [groups[rng.next(in: 0...3)], id])
                    case 4: try db.run("UPDATE toy SET note = 'x' WHERE id = ?", [id])  // not counted: no change
                    case 5: try db.run("DELETE FROM toy WHERE id = ?", [id])
                    default: try db.run("UPDATE toy SET v = v + 7 WHERE id % 5 = ?", [.int(Int64(rng.next(in: 0...4)))])
                    }
                }
            }
            XCTAssertEqual(try Self.toy.mismatches(db), [], "round \(round)")
        }
        XCTAssertGreaterThan(try db.queryOne("SELECT count(*) FROM toy_counts WHERE n > 0")?.int(at: 0) ?? 0, 4)
    }

    func testMismatchesNameADriftedGroupOnBothSides() throws {
        try db.execute(Self.toy.createSQL)
        try db.run("INSERT INTO toy(grp, v, live) VALUES('a', 10, 1), ('a', 20, 1), ('b', 70, 0)")
        XCTAssertEqual(try Self.toy.mismatches(db), [])
        try db.run("UPDATE toy_counts SET n = n + 1 WHERE grp = 'a'")
        XCTAssertEqual(try Self.toy.mismatches(db), ["stored a 0 3 30", "recount a 0 2 30"])
        try db.execute(Self.toy.recountSQL)
        XCTAssertEqual(try Self.toy.mismatches(db), [])
    }

    func testInsertsCountedByTheWriterWhenThereIsNoInsertTrigger() throws {
        let writerCounted = CountedAggregate(table: "toy_counts", source: "toy", keys: Self.toy.keys,
                                             measures: Self.toy.measures, filter: Self.toy.filter,
                                             keyTypes: Self.toy.keyTypes, insertTrigger: false)
        try db.execute(writerCounted.createSQL)
        XCTAssertNil(try db.queryOne("SELECT 1 FROM sqlite_master WHERE name = 'toy_counts_insert'"))
        try db.run("INSERT INTO toy(grp, v, live) VALUES('a', 10, 1), ('b', 60, 1)")
        XCTAssertEqual(try writerCounted.mismatches(db).count, 2, "not counted until the writer says so")
        try writerCounted.countInserted(db, where: "rowid > ?", [.int(0)])
        XCTAssertEqual(try writerCounted.mismatches(db), [])
        try db.transaction {
            let last = try db.queryOne("SELECT max(rowid) FROM toy")?.int(at: 0) ?? 0
            try db.run("INSERT INTO toy(grp, v, live) VALUES('a', 1, 1), ('a', 2, 0), ('c', 70, 1), (NULL, 3, 1)")
            try writerCounted.countInserted(db, where: "rowid > ?", [.int(last)])
            try db.run("UPDATE toy SET v = 80 WHERE grp = 'c'")  // then the update trigger follows them
            try db.run("INSERT INTO toy(grp, v, live) VALUES('d', 5, 1)")
            try writerCounted.countInserted(db, where: "rowid = last_insert_rowid()", [])
        }
        XCTAssertEqual(try writerCounted.mismatches(db), [])
        XCTAssertEqual(try db.queryOne("SELECT total FROM toy_counts WHERE grp = 'c'")?.int(at: 0), 80)
    }

    func testCreatingCountsRowsThatAlreadyExist() throws {
        try db.run("INSERT INTO toy(grp, v, live) VALUES('a', 10, 1), (NULL, 60, 1), (NULL, 70, 1), ('b', 5, 0)")
        try db.execute(Self.toy.createSQL)
        let rows = try db.query("SELECT grp, big, n, total FROM toy_counts ORDER BY grp, big").map {
            "\($0.string(at: 0))|\($0.int(at: 1))|\($0.int(at: 2))|\($0.int(at: 3))"
        }
        XCTAssertEqual(rows, ["|1|2|130", "a|0|1|10"])
    }

    /// The queue's and the dialer's migrations 16 count leads and calls stored before them.
    func testMigrationsCountAnExistingDatabase() throws {
        let path = dir.path("existing.sqlite")
        for owner in [TableOwner.queue, .dialer] {
            let conn = try Database(path: path, owner: owner)
            defer { conn.close() }
            try conn.execute("CREATE TABLE \(owner.migrationsTable)(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for migration in Schema.migrations(for: owner) where migration.version < 16 {
                try conn.execute(migration.sql)
                try conn.run("INSERT INTO \(owner.migrationsTable) VALUES(?, 0)", [.int(migration.version)])
            }
        }
        let queue = try Database(path: path, owner: .queue)
        let dialer = try Database(path: path, owner: .dialer)
        defer { queue.close(); dialer.close() }
        let before = CounterWorkload(queue: queue, dialer: dialer, seed: 7)
        before.countInserts = false
        try before.run(rounds: 3)
        XCTAssertNil(try queue.queryOne("SELECT 1 FROM sqlite_master WHERE name = 'lead_counts'"))
        try Schema.migrate(queue, owner: .queue, now: 1)
        try Schema.migrate(dialer, owner: .dialer, now: 1)
        for aggregate in LeadCounts.all + CallCounts.all {
            XCTAssertEqual(try aggregate.mismatches(queue), [], aggregate.table)
        }
        XCTAssertGreaterThan(try LeadCounts.byStatus(queue).values.reduce(0, +), 0)
        try CounterWorkload(queue: queue, dialer: dialer, seed: 8).run(rounds: 3)
        for aggregate in LeadCounts.all + CallCounts.all {
            XCTAssertEqual(try aggregate.mismatches(queue), [], aggregate.table)
        }
    }

    /// The real schema through each owner's connection: a random workload of the statements the
    /// daemons run keeps every counter equal to a recount, and the owner alone may write them.
    func testLeadAndCallCountersFollowARandomWorkload() throws {
        let path = dir.path("shared.sqlite")
        let queue = try Database(path: path, owner: .queue)
        let dialer = try Database(path: path, owner: .dialer)
        let gateway = try Database(path: path, owner: .gateway)
        defer { queue.close(); dialer.close(); gateway.close() }
        try Schema.migrate(queue, owner: .queue, now: 1)
        try Schema.migrate(dialer, owner: .dialer, now: 1)
        let workload = CounterWorkload(queue: queue, dialer: dialer, seed: 99)
        for round in 0..<8 {
            try workload.run(rounds: 1)
            for aggregate in LeadCounts.all + CallCounts.all {
                XCTAssertEqual(try aggregate.mismatches(gateway), [], "\(aggregate.table) after round \(round)")
            }
        }
        for aggregate in LeadCounts.all + CallCounts.all {  // the workload reached every counter
            XCTAssertGreaterThan(try gateway.queryOne("SELECT count(*) FROM \(aggregate.table) WHERE "
                                                      + (aggregate.scope ?? "1"))?.int(at: 0) ?? 0, 1, aggregate.name)
        }
        XCTAssertThrowsError(try gateway.run("UPDATE lead_counts SET n = 0")) { error in
            XCTAssertEqual((error as? DatabaseError)?.isAuthDenied, true)
        }
        XCTAssertThrowsError(try queue.run("DELETE FROM call_counts")) { error in
            XCTAssertEqual((error as? DatabaseError)?.isAuthDenied, true)
        }
    }
}
