import XCTest
@testable import Shared
@testable import api_gateway

/// Issue 16: the dashboards and summaries read the owners' counters (`LeadCounts`, `CallCounts`),
/// not the rows: a counter changed by hand shows in every route; whole-day ranges answered from
/// the per-day counters equal the scan of the calls they replace.
final class DashboardCountersTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    let day = CallSliceFixture.day
    let today = Timestamp.startOfUTCDay(millis: CallSliceFixture.now)

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        let bob = try fx.user("Bob")
        let lead = try fx.lead(priority: .urgent)
        try fx.lead(priority: .low, status: .failed)
        for (n, op) in [alice.id, bob.id, nil, alice.id, alice.id, bob.id].enumerated() {
            let at = today - Int64(n) * day / 2 + 60_000
            let id = try fx.call(lead: lead, operator: op, status: n % 3 == 0 ? .completed : .busy, createdAt: at,
                                 duration: Int64(10 * n))
            try fx.dialerDB.run("UPDATE calls SET disposition = ? WHERE id = ?", [.text(n % 2 == 0 ? "sale" : "voicemail"), .text(id)])
        }
    }

    override func tearDown() { fx = nil }

    func get(_ target: String, _ token: String) throws -> JSON {
        let (status, body) = try fx.send("GET", target, token: token)
        XCTAssertEqual(status, 200, target)
        return body
    }

    func testRoutesReadTheCountersNotTheRows() throws {
        let before = try get("/api/admin/dashboard", admin.token)["dashboard"]
        XCTAssertEqual(before?["callStats"]?["totalCalls"], 6)
        XCTAssertEqual(before?["leadStats"]?["pendingLeads"], 1)
        try fx.dialerDB.run("UPDATE call_counts SET calls = calls + 100 WHERE kind = 'operator' AND operator_id = ?",
                            [.text(alice.id)])
        try fx.dialerDB.run("UPDATE call_counts SET calls = calls + 7 WHERE kind = 'day' AND day = ? AND operator_id = ?",
                            [.int(today / day), .text(alice.id)])
        try fx.queueDB.run("UPDATE lead_counts SET n = n + 1000 WHERE status = 'pending'")
        let after = try get("/api/admin/dashboard", admin.token)["dashboard"]
        XCTAssertEqual(after?["callStats"]?["totalCalls"], 106)
        let todayBefore: Int64 = before?["callStats"]?["todayCalls"]?.int ?? -1
        XCTAssertEqual(after?["callStats"]?["todayCalls"]?.int, todayBefore + 7)
        XCTAssertEqual(after?["leadStats"]?["pendingLeads"], 1001)
        XCTAssertEqual(try get("/api/calls/stats/summary", alice.token)["summary"]?["totalCalls"], 103)
        XCTAssertEqual(try get("/api/operator/dashboard", alice.token)["dashboard"]?["personalStats"]?["totalCalls"], 103)
        // A recount puts the truth back.
        for aggregate in CallCounts.all { try fx.dialerDB.execute(aggregate.recountSQL) }
        for aggregate in LeadCounts.all { try fx.queueDB.execute(aggregate.recountSQL) }
        XCTAssertEqual(try get("/api/admin/dashboard", admin.token)["dashboard"], before)
    }

    func testWholeDaysFromTheCountersEqualTheScan() throws {
        let ranges: [CallDateRange] = [
            CallDateRange(start: today), CallDateRange(start: today - day, end: today - 1),
            CallDateRange(end: today - day - 1), CallDateRange(start: today - 2 * day, end: today + day - 1),
        ]
        for range in ranges {
            let days = try XCTUnwrap(range.wholeDays, "\(range)")
            for op in [nil, alice.id] {
                XCTAssertEqual(try CallFigures.counted(fx.dialerDB, days: days, operatorId: op),
                               try CallFigures.query(fx.dialerDB, CallFilter(operatorId: op, range: range)), "\(range) \(op ?? "all")")
            }
            // A bound one millisecond earlier is not a whole day: the scan (no call at that instant).
            var scanned = range
            if let start = range.start { scanned.start = start - 1 } else { scanned.end = range.end.map { $0 - 1 } }
            XCTAssertNil(scanned.wholeDays)
            XCTAssertEqual(try DispositionCounts(db: fx.dialerDB, range: range).reportJSON(),
                           try DispositionCounts(db: fx.dialerDB, range: scanned).reportJSON(), "\(range)")
        }
        XCTAssertEqual(try DispositionCounts(db: fx.dialerDB, range: CallDateRange(start: today)).reportJSON()["total"],
                       ["sale": 1])
    }

    func testWholeDays() {
        XCTAssertTrue(CallDateRange().wholeDays! == (nil, nil))
        XCTAssertTrue(CallDateRange(start: today, end: today + day - 1).wholeDays! == (today / day, today / day))
        XCTAssertNil(CallDateRange(start: today + 1).wholeDays)
        XCTAssertNil(CallDateRange(end: today).wholeDays)
    }
}
