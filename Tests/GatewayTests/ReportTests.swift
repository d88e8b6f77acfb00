import XCTest
@testable import Shared
@testable import api_gateway

/// `GET /api/admin/reports/performance` and `GET /api/operator/profile/performance`: computed
/// `successRate`, a date-only `endDate` covering its whole UTC day, daily buckets only for days
/// with calls, lead conversion by status and by priority, 400s and access.
final class ReportTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    var bob: (id: String, token: String)!

    /// Milliseconds of 2024-01-<day> at hh:mm UTC.
    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
        (Timestamp.parseISO8601("2024-01-\(day < 10 ? "0" : "")\(day)T00:00:00Z") ?? 0)
            + Int64(hour) * CallSliceFixture.hour + Int64(minute) * 60_000
    }

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        bob = try fx.user("Bob")
        let urgent = try fx.lead(priority: .urgent, status: .transferred)
        let high = try fx.lead(priority: .high, status: .failed)
        let medium = try fx.lead(priority: .medium, status: .pending)
        try fx.call(lead: urgent, operator: alice.id, status: .completed, createdAt: at(10, 9), duration: 100)
        try fx.call(lead: urgent, operator: alice.id, status: .busy, createdAt: at(10, 23, 30))
        try fx.call(lead: high, operator: alice.id, status: .completed, createdAt: at(12, 12), duration: 200)
        try fx.call(lead: high, operator: bob.id, status: .failed, createdAt: at(12, 13), answered: true)
        try fx.call(lead: medium, operator: bob.id, status: .completed, createdAt: at(14, 8), duration: 50)
        try fx.call(lead: medium, operator: bob.id, status: .noAnswer, createdAt: at(15, 9))
        try fx.call(lead: medium, operator: nil, status: .failed, createdAt: at(15, 9, 30))
    }

    override func tearDown() { fx = nil }

    func report(_ query: String) throws -> JSON? {
        let (status, body) = try fx.send("GET", "/api/admin/reports/performance" + query, token: admin.token)
        XCTAssertEqual(status, 200)
        return body["performance"]
    }

    func testSalespersonStatsWithSuccessRateOverAWholeDayRange() throws {
        let p = try XCTUnwrap(try report("?startDate=2024-01-10&endDate=2024-01-14"))
        XCTAssertEqual(p.object?.keys, ["salespersonStats", "leadConversion", "dailyCalls", "dispositions"])
        let stats = try XCTUnwrap(p["salespersonStats"]?.array)
        XCTAssertEqual(stats.compactMap { $0["name"]?.string }, ["Alice", "Bob"])
        XCTAssertEqual(stats[0].object?.keys, ["_id", "id", "name", "email", "totalCalls", "answeredCalls", "completedCalls",
                                               "totalDuration", "averageDuration", "successRate"])
        XCTAssertEqual(CallSliceFixture.numbers(stats[0]), ["totalCalls": 3, "answeredCalls": 2, "completedCalls": 2,
                                                            "totalDuration": 300, "averageDuration": 100, "successRate": 0.6667])
        XCTAssertEqual(CallSliceFixture.numbers(stats[1]), ["totalCalls": 2, "answeredCalls": 2, "completedCalls": 1,
                                                            "totalDuration": 50, "averageDuration": 25, "successRate": 0.5])
        let oneDay = try XCTUnwrap(try report("?startDate=2024-01-10&endDate=2024-01-10")?["salespersonStats"]?.array)
        XCTAssertEqual(oneDay.first?["totalCalls"], 2, "the 23:30 call belongs to the endDate's day")
    }

    func testDailyCallsOnlyForDaysWithCallsOldestFirst() throws {
        let daily = try XCTUnwrap(try report("?startDate=2024-01-10&endDate=2024-01-14")?["dailyCalls"]?.array)
        XCTAssertEqual(daily, [
            ["_id": ["year": 2024, "month": 1, "day": 10], "totalCalls": 2, "answeredCalls": 1],
            ["_id": ["year": 2024, "month": 1, "day": 12], "totalCalls": 2, "answeredCalls": 2],
            ["_id": ["year": 2024, "month": 1, "day": 14], "totalCalls": 1, "answeredCalls": 1],
        ])
        let partial = try XCTUnwrap(try report("?startDate=2024-01-10T12:00:00Z")?["dailyCalls"]?.array)
        XCTAssertEqual(partial.first?["totalCalls"], 1)
        XCTAssertEqual(partial.count, 4)
    }

    func testWithoutARangeEverythingCountsAndLeadConversionListsEveryStatus() throws {
        let p = try XCTUnwrap(try report(""))
        let stats = try XCTUnwrap(p["salespersonStats"]?.array)
        XCTAssertEqual(stats.compactMap { $0["totalCalls"]?.int }, [3, 3])
        XCTAssertEqual(p["dailyCalls"]?.array?.count, 4)
        XCTAssertEqual(p["leadConversion"], [["_id": "pending", "count": 1], ["_id": "claimed", "count": 0],
                                             ["_id": "calling", "count": 0], ["_id": "answered", "count": 0],
                                             ["_id": "transferred", "count": 1], ["_id": "failed", "count": 1]])
    }

    func testReportErrorsAndAccess() throws {
        XCTAssertEqual(try fx.send("GET", "/api/admin/reports/performance?startDate=2024-01-12&endDate=2024-01-11",
                                   token: admin.token).status, 400)
        XCTAssertEqual(try fx.send("GET", "/api/admin/reports/performance?endDate=2024-13-01", token: admin.token).status, 400)
        XCTAssertEqual(try fx.send("GET", "/api/admin/reports/performance", token: alice.token).status, 403)
        let empty = try XCTUnwrap(try report("?startDate=2030-01-01"))
        XCTAssertEqual(empty["salespersonStats"], [])
        XCTAssertEqual(empty["dailyCalls"], [])
    }

    func testOperatorPerformance() throws {
        let (status, body) = try fx.send("GET", "/api/operator/profile/performance?startDate=2024-01-10&endDate=2024-01-12",
                                         token: alice.token)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body.object?.keys, ["performance", "dailyPerformance", "leadConversion"])
        XCTAssertEqual(CallSliceFixture.numbers(body["performance"]),
                       ["totalCalls": 3, "answeredCalls": 2, "completedCalls": 2, "totalDuration": 300,
                        "averageDuration": 100, "successRate": 0.6667])
        XCTAssertEqual(body["dailyPerformance"], [
            ["_id": ["year": 2024, "month": 1, "day": 10], "calls": 2, "answered": 1, "completed": 1, "duration": 100],
            ["_id": ["year": 2024, "month": 1, "day": 12], "calls": 1, "answered": 1, "completed": 1, "duration": 200],
        ])
        XCTAssertEqual(body["leadConversion"], [
            ["_id": "urgent", "totalCalls": 2, "answeredCalls": 1, "completedCalls": 1],
            ["_id": "high", "totalCalls": 1, "answeredCalls": 1, "completedCalls": 1],
            ["_id": "medium", "totalCalls": 0, "answeredCalls": 0, "completedCalls": 0],
            ["_id": "low", "totalCalls": 0, "answeredCalls": 0, "completedCalls": 0],
        ])
    }

    func testOperatorPerformanceAllTimeAndErrors() throws {
        let body = try fx.send("GET", "/api/operator/profile/performance", token: bob.token).body
        XCTAssertEqual(CallSliceFixture.numbers(body["performance"])["totalCalls"], 3)
        XCTAssertEqual(body["dailyPerformance"]?.array?.count, 3)
        XCTAssertEqual(body["leadConversion"]?.array?[2]["totalCalls"], 2)
        XCTAssertEqual(try fx.send("GET", "/api/operator/profile/performance?startDate=x", token: bob.token).status, 400)
        let adminOwn = try fx.send("GET", "/api/operator/profile/performance", token: admin.token)
        XCTAssertEqual(adminOwn.status, 200)
        XCTAssertEqual(adminOwn.body["performance"]?["totalCalls"], 0)
    }

    func testReportsWithoutDaemonTables() throws {
        let bare = try CallSliceFixture(migrateDaemons: false)
        let root = try bare.user("Root", role: .admin)
        let report = try bare.send("GET", "/api/admin/reports/performance?startDate=2024-01-01", token: root.token)
        XCTAssertEqual(report.status, 200)
        XCTAssertEqual(report.body["performance"]?["dailyCalls"], [])
        XCTAssertEqual(report.body["performance"]?["leadConversion"]?.array?.first, ["_id": "pending", "count": 0])
        let mine = try bare.send("GET", "/api/operator/profile/performance?startDate=2024-01-01", token: root.token)
        XCTAssertEqual(mine.status, 200)
        XCTAssertEqual(mine.body["leadConversion"]?.array?.count, 4)
    }
}
