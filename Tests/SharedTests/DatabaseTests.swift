import Foundation
import TestSupport
import XCTest
import CSQLite
@testable import Shared

private struct Boom: Error {}

final class DatabaseTests: XCTestCase {
    var dir: TemporaryDatabaseDirectory!
    var db: Database!

    override func setUpWithError() throws {
        dir = TemporaryDatabaseDirectory()
        db = try Database(path: dir.path(), owner: nil)
        try db.execute("""
            CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL, flag INTEGER, data BLOB);
            """)
    }

    override func tearDown() {
        db?.close()
        db = nil
        dir = nil
    }

    func testPragmasApplied() throws {
        XCTAssertEqual(try db.queryOne("PRAGMA journal_mode")?.string(at: 0), "wal")
        XCTAssertEqual(try db.queryOne("PRAGMA foreign_keys")?.int(at: 0), 1)
        XCTAssertEqual(try db.queryOne("PRAGMA synchronous")?.int(at: 0), 1) // NORMAL
        XCTAssertEqual(db.busyTimeoutMillis, 5000)
    }

    func testNewDatabasesGetTheLargerPageSizeAndOldOnesKeepTheirs() throws {
        XCTAssertEqual(Database.pageSizeBytes, 16_384)
        XCTAssertEqual(try db.queryOne("PRAGMA page_size")?.int(at: 0), Int64(Database.pageSizeBytes))
        let old = dir.path("old.sqlite")
        var c: OpaquePointer?
        XCTAssertEqual(sqlite3_open(old, &c), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(c, "CREATE TABLE x(a); PRAGMA journal_mode=WAL", nil, nil, nil), SQLITE_OK)
        sqlite3_close(c)
        let reopened = try Database(path: old, owner: nil)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.queryOne("PRAGMA page_size")?.int(at: 0), 4_096, "an existing file keeps its page size")
        XCTAssertEqual(try reopened.queryOne("PRAGMA wal_autocheckpoint")?.int(at: 0), 1_024, "4 MiB of 4 KiB pages")
        XCTAssertEqual(try db.queryOne("PRAGMA wal_autocheckpoint")?.int(at: 0), 256, "4 MiB of 16 KiB pages")
    }

    func testBinderBindsInOrderAndRefusesTextsPastItsBoundOrAWrongCount() throws {
        let insert = try db.prepare("INSERT INTO t(id, name, score) VALUES (?, ?, ?), (?, ?, ?)")
        let names = ["Ann", String(repeating: "ü", count: 300)]
        try insert.bind(textBytes: names.reduce(0) { $0 + StatementBinder.arenaBytes($1) }) { binder in
            for (n, name) in names.enumerated() {
                try binder.int(Int64(n + 1))
                try binder.text(name)
                try binder.int(7)
            }
        }
        while try insert.step() {}
        XCTAssertEqual(try db.query("SELECT name FROM t ORDER BY id").map { $0.string(at: 0) }, names)
        XCTAssertThrowsError(try insert.bind(textBytes: 3) { binder in
            try binder.int(3)
            try binder.text("four")  // 5 bytes with its zero: past the announced 3
        })
        XCTAssertThrowsError(try insert.bind(textBytes: 0) { binder in try binder.int(1) }, "5 parameters missing")
    }

    func testCRUDAndParams() throws {
        XCTAssertEqual(try db.run("INSERT INTO t(name, score, flag, data) VALUES(?, ?, ?, ?)",
                                  ["alpha", 1.5, SQLValue(true), .blob([0, 1, 255])]), 1)
        let firstID = db.lastInsertRowID
        try db.run("INSERT INTO t(name, score, flag, data) VALUES(?, ?, ?, ?)",
                   [SQLValue("Ўзбек 😀"), SQLValue(nil as Double?), SQLValue(false), nil])
        try db.run("INSERT INTO t(name) VALUES(?)", [""])
        XCTAssertEqual(db.lastInsertRowID, firstID + 2)

        let rows = try db.query("SELECT id, name, score, flag, data FROM t ORDER BY id")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0].string("name"), "alpha")
        XCTAssertEqual(rows[0].double("score"), 1.5)
        XCTAssertTrue(rows[0].bool("flag"))
        XCTAssertEqual(rows[0]["data"], .blob([0, 1, 255]))
        XCTAssertEqual(rows[1].string("name"), "Ўзбек 😀")
        XCTAssertNil(rows[1].optionalDouble("score"))
        XCTAssertEqual(rows[1].optionalBool("flag"), false)
        XCTAssertEqual(rows[1]["data"], .null)
        XCTAssertEqual(rows[2]["name"], .text(""), "empty string must bind as text, not NULL")
        XCTAssertNil(rows[2].optionalInt("flag"))
        XCTAssertEqual(rows[2].int("flag"), 0)
        XCTAssertEqual(rows[0]["missing"], .null)
        XCTAssertEqual(rows[0].columns.names, ["id", "name", "score", "flag", "data"])
        XCTAssertTrue(rows[0].columns === rows[1].columns, "rows share one column table")

        XCTAssertEqual(try db.run("UPDATE t SET score = score + ? WHERE name = ?", [1, "alpha"]), 1)
        XCTAssertEqual(try db.queryOne("SELECT score FROM t WHERE name = ?", ["alpha"])?.double("score"), 2.5)
        XCTAssertEqual(try db.run("DELETE FROM t WHERE flag = ?", [SQLValue(false)]), 1)
        XCTAssertEqual(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n"), 2)
        XCTAssertNil(try db.queryOne("SELECT * FROM t WHERE name = ?", ["nobody"]))
    }

    func testLongTextParametersRoundTrip() throws {
        let long = String(repeating: "x", count: 10_000)
        try db.run("INSERT INTO t(name) VALUES(?)", [.text(long)])
        try db.run("INSERT INTO t(name) VALUES(?)", [.text("short")])
        XCTAssertEqual(try db.queryOne("SELECT length(name) AS n FROM t WHERE name = ?", [.text(long)])?.int("n"), 10_000)
    }

    func testParameterCountMismatchIsAnError() {
        XCTAssertThrowsError(try db.run("INSERT INTO t(name) VALUES(?)", [])) { error in
            XCTAssertEqual((error as? DatabaseError)?.primaryCode, DatabaseError.range)
        }
        XCTAssertThrowsError(try db.query("SELECT * FROM t WHERE id = ?", [1, 2]))
    }

    func testUniqueViolationAndErrors() throws {
        try db.run("INSERT INTO t(name) VALUES('a')")
        XCTAssertThrowsError(try db.run("INSERT INTO t(name) VALUES('a')")) { error in
            guard let e = error as? DatabaseError else { return XCTFail("\(error)") }
            XCTAssertTrue(e.isConstraint)
            XCTAssertTrue(e.isUniqueViolation)
            XCTAssertFalse(e.isAuthDenied)
            XCTAssertEqual(e.sql, "INSERT INTO t(name) VALUES('a')")
            XCTAssertTrue(e.description.contains("UNIQUE"), e.description)
        }
        try db.run("INSERT INTO t(id, name) VALUES(77, 'b')")
        XCTAssertThrowsError(try db.run("INSERT INTO t(id, name) VALUES(77, 'c')")) { error in
            XCTAssertEqual((error as? DatabaseError)?.isUniqueViolation, true)
        }
        XCTAssertThrowsError(try db.run("INSERT INTO t(name) VALUES(NULL)")) { error in
            let e = error as? DatabaseError
            XCTAssertEqual(e?.isConstraint, true)
            XCTAssertEqual(e?.isUniqueViolation, false)
        }
        XCTAssertThrowsError(try db.query("SELECT * FROM nope")) { error in
            XCTAssertEqual((error as? DatabaseError)?.isNoSuchTable, true)
        }
        XCTAssertThrowsError(try db.execute("CREATE TABLE x(")) { error in
            XCTAssertEqual((error as? DatabaseError)?.primaryCode, DatabaseError.error)
        }
    }

    func testTransactionCommitsAndRollsBackOnThrow() throws {
        let n: Int = try db.transaction {
            try db.run("INSERT INTO t(name) VALUES('kept')")
            return 42
        }
        XCTAssertEqual(n, 42)
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t(name) VALUES('lost')")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.query("SELECT name FROM t").map { $0.string("name") }, ["kept"])
        // A failing statement inside also rolls back the earlier writes.
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t(name) VALUES('first')")
            try db.run("INSERT INTO t(name) VALUES('kept')")
        })
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM t")?.int(at: 0), 1)
    }

    func testNestedTransactionsUseSavepoints() throws {
        try db.transaction {
            try db.run("INSERT INTO t(name) VALUES('outer')")
            XCTAssertThrowsError(try db.transaction {
                try db.run("INSERT INTO t(name) VALUES('inner-lost')")
                try db.transaction { try db.run("INSERT INTO t(name) VALUES('innermost-lost')") }
                throw Boom()
            })
            try db.transaction { try db.run("INSERT INTO t(name) VALUES('inner-kept')") }
        }
        XCTAssertEqual(try db.query("SELECT name FROM t ORDER BY id").map { $0.string("name") },
                       ["outer", "inner-kept"])
        XCTAssertThrowsError(try db.transaction {
            try db.transaction { try db.run("INSERT INTO t(name) VALUES('released-but-outer-fails')") }
            throw Boom()
        })
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM t")?.int(at: 0), 2)
    }

    func testStatementCacheReusesStatements() throws {
        let a = try db.prepare("SELECT name FROM t WHERE id = ?")
        let b = try db.prepare("SELECT name FROM t WHERE id = ?")
        XCTAssertTrue(a === b)
        let before = db.cachedStatementCount
        for i in 0..<50 { _ = try db.query("SELECT name FROM t WHERE id = ?", [.int(Int64(i))]) }
        XCTAssertEqual(db.cachedStatementCount, before)
    }

    func testStatementCacheEvictsAtCapacity() throws {
        let small = try Database(path: dir.path("small.sqlite"), owner: nil, statementCacheCapacity: 4)
        let kept = try small.prepare("SELECT 0")
        for i in 1...10 {
            _ = try small.query("SELECT \(i)")
            _ = try small.prepare("SELECT 0") // keep it recently used
        }
        XCTAssertEqual(small.cachedStatementCount, 4)
        XCTAssertTrue(try small.prepare("SELECT 0") === kept)
        XCTAssertEqual(try small.query("SELECT 3").first?.int(at: 0), 3)
    }

    func testNestedUseOfSameSQLGetsFreshStatement() throws {
        for name in ["a", "b", "c"] { try db.run("INSERT INTO t(name) VALUES(?)", [.text(name)]) }
        var pairs: [String] = []
        try db.forEachRow("SELECT name FROM t ORDER BY id") { outer in
            let inner = try db.query("SELECT name FROM t ORDER BY id")
            pairs.append(outer.string("name") + String(inner.count))
        }
        XCTAssertEqual(pairs, ["a3", "b3", "c3"])
    }

    func testForEachRowStreamsAndResetsWhenBodyThrows() throws {
        for i in 0..<10 { try db.run("INSERT INTO t(name, flag) VALUES(?, ?)", [.text("n\(i)"), .int(Int64(i))]) }
        let statement = try db.prepare("SELECT flag FROM t ORDER BY flag")
        var seen: [Int64] = []
        XCTAssertThrowsError(try statement.forEachRow([]) { row in
            seen.append(row.int("flag"))
            if seen.count == 3 { throw Boom() }
        })
        XCTAssertEqual(seen, [0, 1, 2])
        XCTAssertFalse(statement.isBusy)
        var total: Int64 = 0
        try statement.forEachRow([]) { total += $0.int(at: 0) }
        XCTAssertEqual(total, 45)
        // Manual stepping.
        try statement.bind([])
        XCTAssertTrue(try statement.step())
        XCTAssertEqual(statement.row().int("flag"), 0)
        statement.reset()
        XCTAssertFalse(statement.isBusy)
    }

    func testTwoConnectionsSeeEachOtherAndDataVersionMoves() throws {
        let other = try Database(path: dir.path(), owner: nil)
        defer { other.close() }
        let before = try db.dataVersion
        try db.run("INSERT INTO t(name) VALUES('mine')")
        XCTAssertEqual(try db.dataVersion, before, "own commits do not move data_version")
        XCTAssertEqual(try other.queryOne("SELECT name FROM t")?.string("name"), "mine")
        try other.run("INSERT INTO t(name) VALUES('theirs')")
        XCTAssertNotEqual(try db.dataVersion, before)
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM t")?.int(at: 0), 2)
    }

    func testBusyIsReported() throws {
        let other = try Database(path: dir.path(), owner: nil, busyTimeoutMillis: 0)
        defer { other.close() }
        try db.transaction {
            try db.run("INSERT INTO t(name) VALUES('locked')")
            XCTAssertThrowsError(try other.run("INSERT INTO t(name) VALUES('blocked')")) { error in
                XCTAssertEqual((error as? DatabaseError)?.isBusy, true, "\(error)")
            }
            // WAL: readers are not blocked by the writer and see the last commit.
            XCTAssertEqual(try other.queryOne("SELECT count(*) FROM t")?.int(at: 0), 0)
        }
    }

    func testReadOnlyConnectionCannotWrite() throws {
        let reader = try Database(path: dir.path(), owner: nil, readOnly: true)
        defer { reader.close() }
        try db.run("INSERT INTO t(name) VALUES('x')")
        XCTAssertEqual(try reader.queryOne("SELECT count(*) FROM t")?.int(at: 0), 1)
        XCTAssertThrowsError(try reader.run("INSERT INTO t(name) VALUES('y')"))
    }

    func testClosedDatabaseThrows() throws {
        let statement = try db.prepare("SELECT 1")
        db.close()
        XCTAssertFalse(db.isOpen)
        XCTAssertThrowsError(try db.query("SELECT 1"))
        XCTAssertThrowsError(try db.execute("SELECT 1"))
        XCTAssertThrowsError(try statement.step())
        db.close() // idempotent
    }

    func testOpenFailureThrows() {
        XCTAssertThrowsError(try Database(path: dir.path("missing/dir/x.sqlite"), owner: nil))
        XCTAssertThrowsError(try Database(path: dir.path("absent.sqlite"), owner: nil, readOnly: true))
    }

    func testDiskFullClassification() {
        XCTAssertTrue(DatabaseError(code: DatabaseError.full, message: "database or disk is full").isDiskFull)
        XCTAssertFalse(DatabaseError(code: DatabaseError.busy, message: "busy").isDiskFull)
    }

    func testSQLValueConveniences() {
        XCTAssertEqual(SQLValue(nil as String?), .null)
        XCTAssertEqual(SQLValue("a" as String?), .text("a"))
        XCTAssertEqual(SQLValue(nil as Int64?), .null)
        XCTAssertEqual(SQLValue(5 as Int64?), .int(5))
        XCTAssertEqual(SQLValue(true), .int(1))
        let literals: [SQLValue] = [nil, 1, 2.5, "s", false]
        XCTAssertEqual(literals, [.null, .int(1), .double(2.5), .text("s"), .int(0)])
        XCTAssertEqual(SQLValue.text("12").int64Value, 12)
        XCTAssertEqual(SQLValue.int(3).stringValue, "3")
    }
}
