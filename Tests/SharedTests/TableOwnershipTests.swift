import TestSupport
import XCTest
@testable import Shared

final class TableOwnershipTests: XCTestCase {
    var dir: TemporaryDatabaseDirectory!
    let now: Int64 = 1_705_314_600_000

    override func setUpWithError() throws {
        dir = TemporaryDatabaseDirectory()
        for owner in TableOwner.allCases {
            let db = try Database(path: dir.path(), owner: owner)
            try Schema.migrate(db, owner: owner, now: now)
            db.close()
        }
    }

    override func tearDown() { dir = nil }

    private func assertDenied(_ db: Database, _ sql: String, table: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try db.run(sql), sql, file: file, line: line) { error in
            guard let e = error as? DatabaseError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(e.isAuthDenied, "\(e)", file: file, line: line)
            XCTAssertTrue(e.message.contains("'\(table)'"), e.message, file: file, line: line)
        }
    }

    func testOwnedTablesLists() {
        XCTAssertEqual(TableOwner.gateway.ownedTables, ["users", "revoked_tokens", "audit_log", "idempotency_keys",
                                                        "gateway_migrations"])
        XCTAssertEqual(TableOwner.queue.ownedTables, ["leads", "lead_events", "queue_settings", "dnc", "operator_states",
                                                      "queue_migrations", "lead_counts"])
        XCTAssertEqual(TableOwner.dialer.ownedTables, ["calls", "dialer_migrations", "call_counts"])
        XCTAssertEqual(TableOwner.owner(of: "LEADS"), .queue)
        XCTAssertNil(TableOwner.owner(of: "sqlite_master"))
    }

    func testQueueWritesLeadsButNotUsers() throws {
        let queue = try Database(path: dir.path(), owner: .queue)
        defer { queue.close() }
        try queue.run("INSERT INTO leads(id, phone, created_at, updated_at) VALUES('l1', '+998901234567', 1, 1)")
        XCTAssertEqual(try queue.run("UPDATE leads SET status = 'claimed' WHERE id = 'l1'"), 1)
        try queue.run("INSERT INTO queue_settings(key, value) VALUES('paused', '0')")
        assertDenied(queue, """
            INSERT INTO users(id, name, email, phone, password_hash, role, created_at, updated_at)
            VALUES('u1', 'n', 'e', 'p', 'h', 'admin', 1, 1)
            """, table: "users")
        assertDenied(queue, "UPDATE users SET name = 'x'", table: "users")
        assertDenied(queue, "DELETE FROM calls", table: "calls")
        // Reads of other owners' tables are fine.
        XCTAssertEqual(try queue.query("SELECT * FROM users").count, 0)
        XCTAssertEqual(try queue.query("SELECT c.id FROM calls c JOIN leads l ON l.id = c.lead_id").count, 0)
    }

    func testGatewayCannotWriteCalls() throws {
        let gateway = try Database(path: dir.path(), owner: .gateway)
        defer { gateway.close() }
        assertDenied(gateway, """
            INSERT INTO calls(id, lead_id, mode, status, from_number, to_number, start_time, created_at, updated_at)
            VALUES('c1', 'l1', 'manual', 'initiated', 'a', 'b', 1, 1, 1)
            """, table: "calls")
        assertDenied(gateway, "UPDATE leads SET status = 'pending'", table: "leads")
        try gateway.run("INSERT INTO revoked_tokens(jti, expires_at) VALUES('j', 1)")
        try gateway.run("INSERT INTO audit_log(at, action) VALUES(1, 'login')")
    }

    func testDialerWritesOnlyCalls() throws {
        let dialer = try Database(path: dir.path(), owner: .dialer)
        defer { dialer.close() }
        try dialer.run("""
            INSERT INTO calls(id, lead_id, mode, status, from_number, to_number, start_time, created_at, updated_at)
            VALUES('c1', 'l1', 'manual', 'initiated', 'a', 'b', 1, 1, 1)
            """)
        assertDenied(dialer, "UPDATE leads SET status = 'failed'", table: "leads")
        assertDenied(dialer, "DELETE FROM revoked_tokens", table: "revoked_tokens")
    }

    func testSchemaChangesOnForeignTablesDenied() throws {
        let queue = try Database(path: dir.path(), owner: .queue)
        defer { queue.close() }
        assertDenied(queue, "CREATE TABLE stray(x)", table: "stray")
        assertDenied(queue, "CREATE INDEX users_name ON users(name)", table: "users")
        assertDenied(queue, "DROP TABLE calls", table: "calls")
        assertDenied(queue, "DROP INDEX calls_created", table: "calls")
        assertDenied(queue, "ALTER TABLE users ADD COLUMN x TEXT", table: "users")
        assertDenied(queue, "CREATE TRIGGER tr AFTER INSERT ON users BEGIN SELECT 1; END", table: "users")
        // Its own tables may be changed, and temp objects are free.
        try queue.run("CREATE INDEX leads_name ON leads(name)")
        try queue.run("DROP INDEX leads_name")
        try queue.execute("CREATE TEMP TABLE scratch(x); INSERT INTO scratch VALUES(1); DROP TABLE scratch")
    }

    func testDenialInsideTransactionRollsBack() throws {
        let queue = try Database(path: dir.path(), owner: .queue)
        defer { queue.close() }
        XCTAssertThrowsError(try queue.transaction {
            try queue.run("INSERT INTO queue_settings(key, value) VALUES('paused', '1')")
            try queue.run("DELETE FROM users")
        }) { XCTAssertEqual(($0 as? DatabaseError)?.isAuthDenied, true) }
        XCTAssertEqual(try queue.query("SELECT * FROM queue_settings").count, 0)
    }

    func testUnrestrictedConnectionWritesAnything() throws {
        let admin = try Database(path: dir.path(), owner: nil)
        defer { admin.close() }
        try admin.run("DELETE FROM users")
        try admin.run("DELETE FROM calls")
    }
}
