import XCTest
@testable import Shared
@testable import api_gateway

/// `GET /api/admin/dashboard` and `GET /api/operator/dashboard` on a small data set whose every
/// figure is known: user and lead counts, call figures with the "was answered" and UTC-today
/// rules, priorities urgent → low, operator performance from `calls`, rankings, lead lists,
/// access, and zeros when the daemons' tables do not exist.
final class DashboardTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    var bob: (id: String, token: String)!
    var dave: (id: String, token: String)!
    var l1 = "", l2 = "", l5 = "", newest = ""

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        bob = try fx.user("Bob", available: false)
        let carol = try fx.user("Carol", active: false)
        dave = try fx.user("Dave")
        let base = CallSliceFixture.now - 10 * CallSliceFixture.day
        l1 = try fx.lead(priority: .urgent, status: .pending, createdAt: base)
        l2 = try fx.lead(priority: .high, status: .transferred, assignedTo: alice.id, createdAt: base + 1)
        let l3 = try fx.lead(priority: .medium, status: .failed, createdAt: base + 2)
        try fx.lead(priority: .low, status: .pending, active: false, createdAt: base + 3)
        l5 = try fx.lead(priority: .medium, status: .claimed, assignedTo: alice.id, createdAt: base)
        let l6 = try fx.lead(priority: .high, status: .calling, assignedTo: bob.id, createdAt: base + 5)
        let now = CallSliceFixture.now, hour = CallSliceFixture.hour, day = CallSliceFixture.day
        try fx.call(lead: l2, operator: alice.id, status: .completed, createdAt: now - 90 * 60_000, duration: 200)
        try fx.call(lead: l2, operator: alice.id, status: .completed, createdAt: now - day, duration: 100)
        try fx.call(lead: l1, operator: alice.id, status: .noAnswer, createdAt: now - 150 * 60_000)
        newest = try fx.call(lead: l5, operator: alice.id, status: .answered, createdAt: now - 10 * 60_000)
        try fx.call(lead: l6, operator: bob.id, status: .busy, createdAt: now - 3 * hour - 30 * 60_000)
        try fx.call(lead: l6, operator: bob.id, status: .completed, createdAt: now - 3 * day, duration: 300)
        try fx.call(lead: l6, operator: bob.id, status: .failed, createdAt: now - 2 * day, answered: true)
        try fx.call(lead: l3, operator: carol.id, status: .completed, createdAt: now - 5 * day, duration: 50)
        try fx.call(lead: l3, operator: nil, status: .failed, createdAt: now - 4 * hour - 30 * 60_000)
    }

    override func tearDown() { fx = nil }

    func adminDashboard() throws -> JSON {
        let (status, body) = try fx.send("GET", "/api/admin/dashboard", token: admin.token)
        XCTAssertEqual(status, 200)
        return try XCTUnwrap(body["dashboard"])
    }

    func testAdminFigures() throws {
        let d = try adminDashboard()
        XCTAssertEqual(d.object?.keys, ["userStats", "leadStats", "callStats", "dialingRules", "todayDispositions",
                                        "priorityBreakdown",
                                        "salespersonPerformance", "recentActivity", "pacing"])
        XCTAssertEqual(d["pacing"]?["mode"], "progressive", "issue 14: pacing on the dashboard")
        XCTAssertEqual(d["pacing"]?["operatorStates"]?["wrap_up"], 0)
        XCTAssertEqual(CallSliceFixture.numbers(d["userStats"]),
                       ["totalUsers": 5, "activeUsers": 4, "availableSalespeople": 2, "totalAdmins": 1])
        XCTAssertEqual(CallSliceFixture.numbers(d["leadStats"]),
                       ["totalLeads": 5, "pendingLeads": 1, "claimedLeads": 1, "callingLeads": 1, "answeredLeads": 0,
                        "transferredLeads": 1, "failedLeads": 1])
        XCTAssertEqual(CallSliceFixture.numbers(d["callStats"]),
                       ["totalCalls": 9, "todayCalls": 5, "answeredCalls": 6, "completedCalls": 4, "totalDuration": 650,
                        "averageDuration": 72.22])
        XCTAssertEqual(d["priorityBreakdown"], [["_id": "urgent", "count": 1], ["_id": "high", "count": 2],
                                                ["_id": "medium", "count": 2], ["_id": "low", "count": 0]])
    }

    func testSalespersonPerformanceComesFromCalls() throws {
        let people = try XCTUnwrap(try adminDashboard()["salespersonPerformance"]?.array)
        XCTAssertEqual(people.compactMap { $0["name"]?.string }, ["Alice", "Bob", "Dave"])
        XCTAssertEqual(CallSliceFixture.numbers(people[0]).filter { $0.key != "lastLogin" },
                       ["totalCalls": 4, "successfulCalls": 2, "totalDuration": 300, "averageDuration": 75, "successRate": 0.5])
        XCTAssertEqual(people[0]["callStats"], ["totalCalls": 4, "successfulCalls": 2, "totalDuration": 300])
        XCTAssertEqual(people[1]["successRate"]?.double, 0.3333)
        XCTAssertEqual(people[1]["isAvailable"], false)
        XCTAssertEqual(people[2]["totalCalls"], 0)
        XCTAssertEqual(people[2]["successRate"]?.double, 0)
    }

    func testRecentActivity() throws {
        let recent = try XCTUnwrap(try adminDashboard()["recentActivity"]?.array)
        XCTAssertEqual(recent.count, 9)
        XCTAssertEqual(recent.first?["_id"]?.string, newest)
        XCTAssertEqual(recent.first?["lead"]?.object?.keys, ["_id", "id", "phone", "name"])
        XCTAssertEqual(recent.first?["salesperson"]?.object?.keys, ["_id", "id", "name"])
        XCTAssertEqual(recent.first?["salesperson"]?["name"], "Alice")
    }

    func testAdminDashboardIsAdminOnly() throws {
        XCTAssertEqual(try fx.send("GET", "/api/admin/dashboard", token: alice.token).status, 403)
        XCTAssertEqual(try fx.send("GET", "/api/admin/dashboard", token: nil).status, 401)
    }

    func testOperatorDashboard() throws {
        let (status, body) = try fx.send("GET", "/api/operator/dashboard", token: alice.token)
        XCTAssertEqual(status, 200)
        let d = try XCTUnwrap(body["dashboard"])
        XCTAssertEqual(d.object?.keys, ["personalStats", "assignedLeads", "recentCalls", "availableLeads",
                                        "performanceRanking", "operatorRank", "todayDispositions", "operatorState"])
        XCTAssertEqual(CallSliceFixture.numbers(d["personalStats"]),
                       ["totalCalls": 4, "todayCalls": 3, "answeredCalls": 3, "completedCalls": 2, "totalDuration": 300,
                        "averageDuration": 75, "successRate": 0.5])
        XCTAssertEqual(d["assignedLeads"]?.array?.compactMap { $0["_id"]?.string }, [l2, l5])
        XCTAssertEqual(d["availableLeads"]?.array?.compactMap { $0["_id"]?.string }, [l1])
        XCTAssertEqual(d["recentCalls"]?.array?.count, 4)
        XCTAssertEqual(d["recentCalls"]?.array?.first?["lead"]?.object?.keys, ["_id", "id", "phone", "name", "priority"])
        XCTAssertEqual(d["performanceRanking"]?.array?.compactMap { $0["name"]?.string }, ["Alice", "Bob"])
        XCTAssertEqual(d["performanceRanking"]?.array?.first?.object?.keys,
                       ["_id", "id", "name", "totalCalls", "completedCalls", "totalDuration", "successRate"])
        XCTAssertEqual(d["operatorRank"], 1)
    }

    func testOperatorDashboardAndAvailableRouteAgreeOnRetryWaits() throws {
        let waiting = try fx.lead(priority: .urgent)
        try fx.queueDB.run("UPDATE leads SET next_call_time = ? WHERE id = ?",
                           [.int(CallSliceFixture.now + 60_000), .text(waiting)])
        let dashboard = try fx.send("GET", "/api/operator/dashboard?x=1", token: bob.token).body["dashboard"]
        let shown = dashboard?["availableLeads"]?.array?.compactMap { $0["_id"]?.string } ?? []
        let query = LeadAvailableQuery(db: fx.queueDB, worker: nil)
        let body = try JSON.parse(String(decoding: try query.body(.init(limit: 5), now: CallSliceFixture.now), as: UTF8.self))
        let available = body["leads"]?.array?.compactMap { $0["_id"]?.string } ?? []
        XCTAssertFalse(shown.contains(waiting))
        XCTAssertEqual(shown, available)
    }

    func testOperatorRankOrNotRanked() throws {
        XCTAssertEqual(try fx.send("GET", "/api/operator/dashboard", token: bob.token).body["dashboard"]?["operatorRank"], 2)
        XCTAssertEqual(try fx.send("GET", "/api/operator/dashboard", token: dave.token).body["dashboard"]?["operatorRank"],
                       .null)
        let adminView = try fx.send("GET", "/api/operator/dashboard", token: admin.token).body["dashboard"]
        XCTAssertEqual(adminView?["operatorRank"], .null)
        XCTAssertEqual(adminView?["personalStats"]?["totalCalls"], 0)
    }

    func testDashboardsWithoutDaemonTablesShowZeros() throws {
        let bare = try CallSliceFixture(migrateDaemons: false)
        let root = try bare.user("Root", role: .admin)
        let op = try bare.user("Olga")
        let (status, body) = try bare.send("GET", "/api/admin/dashboard", token: root.token)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["dashboard"]?["leadStats"]?["totalLeads"], 0)
        XCTAssertEqual(body["dashboard"]?["callStats"]?["todayCalls"], 0)
        XCTAssertEqual(body["dashboard"]?["priorityBreakdown"]?.array?.count, 4)
        XCTAssertEqual(body["dashboard"]?["salespersonPerformance"]?.array?.first?["totalCalls"], 0)
        XCTAssertEqual(body["dashboard"]?["recentActivity"], [])
        let mine = try bare.send("GET", "/api/operator/dashboard", token: op.token)
        XCTAssertEqual(mine.status, 200)
        XCTAssertEqual(mine.body["dashboard"]?["assignedLeads"], [])
        XCTAssertEqual(mine.body["dashboard"]?["operatorRank"], .null)
    }
}
