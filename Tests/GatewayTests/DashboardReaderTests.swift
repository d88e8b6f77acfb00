import XCTest
@testable import Shared
@testable import api_gateway

/// The snapshot cache of `DashboardReader`: repeated reads reuse it, a commit by any other
/// connection (dialer, queue, the gateway's own) invalidates it, and a request that arrived
/// before the snapshot was taken may reuse it even after a commit (single flight).
final class DashboardReaderTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var lead = ""

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        lead = try fx.lead()
        try fx.call(lead: lead, operator: nil, status: .completed, createdAt: CallSliceFixture.now - 1000, duration: 10)
    }

    override func tearDown() { fx = nil }

    func totalCalls() throws -> JSON? {
        try fx.send("GET", "/api/admin/dashboard", token: admin.token).body["dashboard"]?["callStats"]?["totalCalls"]
    }

    func testRepeatedReadsReuseTheSnapshotUntilSomethingIsCommitted() throws {
        let reader = try XCTUnwrap(fx.reader)
        XCTAssertEqual(try totalCalls(), 1)
        XCTAssertEqual(try totalCalls(), 1)
        _ = try fx.send("GET", "/api/calls/stats/summary", token: admin.token)
        XCTAssertEqual(reader.computations, 1)
        try fx.call(lead: lead, operator: nil, status: .busy, createdAt: CallSliceFixture.now - 500)
        XCTAssertEqual(try totalCalls(), 2)
        XCTAssertEqual(reader.computations, 2)
        try fx.queueDB.run("UPDATE leads SET status = 'failed'")
        XCTAssertEqual(try fx.send("GET", "/api/admin/dashboard", token: admin.token)
                        .body["dashboard"]?["leadStats"]?["failedLeads"], 1)
        XCTAssertEqual(reader.computations, 3)
    }

    func testTheGatewaysOwnWritesInvalidateToo() throws {
        let reader = try XCTUnwrap(fx.reader)
        let before = try fx.send("GET", "/api/admin/dashboard", token: admin.token).body
        XCTAssertEqual(before["dashboard"]?["userStats"]?["totalUsers"], 1)
        try fx.user("Newcomer")
        let after = try fx.send("GET", "/api/admin/dashboard", token: admin.token).body
        XCTAssertEqual(after["dashboard"]?["userStats"]?["totalUsers"], 2)
        XCTAssertEqual(reader.computations, 2)
    }

    func testARequestOlderThanTheSnapshotReusesIt() throws {
        let reader = DashboardReader(path: fx.ctx.db.path)
        let arrived = MonotonicClock.micros()
        XCTAssertEqual(try reader.withSnapshot(arrivedAt: arrived) { $1.totals.total }, 1)
        try fx.call(lead: lead, operator: nil, status: .busy, createdAt: CallSliceFixture.now - 500)
        XCTAssertEqual(try reader.withSnapshot(arrivedAt: arrived) { $1.totals.total }, 1)
        XCTAssertEqual(reader.computations, 1)
        XCTAssertEqual(try reader.withSnapshot(arrivedAt: MonotonicClock.micros()) { $1.totals.total }, 2)
        XCTAssertEqual(reader.computations, 2)
    }

    func testSnapshotFiguresAndBreakdowns() throws {
        try fx.lead(priority: .urgent, status: .calling)
        try fx.lead(priority: .low, status: .pending, active: false)
        let snapshot = try DashboardReader(path: fx.ctx.db.path).withSnapshot(arrivedAt: 0) { $1 }
        XCTAssertEqual(snapshot.totals, CallFigures(total: 1, answered: 1, completed: 1, duration: 10))
        XCTAssertEqual(snapshot.figures(operator: ""), snapshot.totals)
        XCTAssertEqual(snapshot.figures(operator: "nobody"), .zero)
        XCTAssertEqual(snapshot.totalLeads, 2)
        XCTAssertEqual(snapshot.priorityBreakdown, [["_id": "urgent", "count": 1], ["_id": "high", "count": 0],
                                                    ["_id": "medium", "count": 1], ["_id": "low", "count": 0]])
        XCTAssertEqual(snapshot.statusBreakdown.array?.compactMap { $0["_id"]?.string },
                       ["pending", "claimed", "calling", "answered", "transferred", "failed"])
    }
}
