import XCTest
@testable import Shared
@testable import api_gateway

/// `GET /api/calls`, `GET /api/calls/:id` and `GET /api/calls/stats/summary` over a small known
/// data set: shapes with populated references, role scoping (operators see only their own
/// calls), every filter, the whole-day `endDate`, pagination, 400/403/404 and missing tables.
final class CallRoutesTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    var bob: (id: String, token: String)!
    var lead1 = "", lead2 = ""
    /// c1 completed (Alice, 08:30, 100 s), c2 busy (Bob, 09:30), c3 no-answer (Alice, 3 days ago),
    /// c4 failed (no operator, 10:00).
    var c1 = "", c2 = "", c3 = "", c4 = ""

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        bob = try fx.user("Bob")
        lead1 = try fx.lead(priority: .urgent)
        lead2 = try fx.lead(priority: .low)
        let now = CallSliceFixture.now, hour = CallSliceFixture.hour
        c1 = try fx.call(lead: lead1, operator: alice.id, status: .completed, createdAt: now - 2 * hour, duration: 100)
        c2 = try fx.call(lead: lead1, operator: bob.id, status: .busy, createdAt: now - hour)
        c3 = try fx.call(lead: lead2, operator: alice.id, status: .noAnswer, createdAt: now - 3 * CallSliceFixture.day)
        c4 = try fx.call(lead: lead2, operator: nil, status: .failed, createdAt: now - hour / 2)
    }

    override func tearDown() { fx = nil }

    func ids(_ body: JSON) -> [String] { body["calls"]?.array?.compactMap { $0["_id"]?.string } ?? [] }

    func testAdminListsEveryCallNewestFirstWithPopulatedReferences() throws {
        let (status, body) = try fx.send("GET", "/api/calls", token: admin.token)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(ids(body), [c4, c2, c1, c3])
        XCTAssertEqual(body["pagination"], ["page": 1, "limit": 20, "total": 4, "pages": 1])
        let first = try XCTUnwrap(body["calls"]?.array?.first)
        XCTAssertEqual(first["salesperson"], .null)
        XCTAssertEqual(first["lead"]?.object?.keys, ["_id", "id", "phone", "name"])
        XCTAssertEqual(first["lead"]?["_id"]?.string, lead2)
        let second = try XCTUnwrap(body["calls"]?.array?[1])
        XCTAssertEqual(second["salesperson"]?.object?.keys, ["_id", "id", "name", "email"])
        XCTAssertEqual(second["salesperson"]?["name"], "Bob")
        XCTAssertEqual(second["status"], "busy")
        XCTAssertEqual(second["createdAt"], .string(Timestamp.iso8601(millis: CallSliceFixture.now - CallSliceFixture.hour)))
    }

    func testOperatorSeesOnlyOwnCallsAndCannotAskForSomeoneElses() throws {
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls", token: alice.token).body), [c1, c3])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?salespersonId=\(alice.id)", token: alice.token).body), [c1, c3])
        let (status, body) = try fx.send("GET", "/api/calls?salespersonId=\(bob.id)", token: alice.token)
        XCTAssertEqual(status, 403)
        XCTAssertEqual(body["error"], "Access denied. Operators can only see their own calls.")
    }

    func testFiltersBySalespersonStatusAndLead() throws {
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?salespersonId=\(bob.id)", token: admin.token).body), [c2])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?status=busy", token: admin.token).body), [c2])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?status=no-answer", token: admin.token).body), [c3])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?leadId=\(lead2)", token: admin.token).body), [c4, c3])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?leadId=\(lead2)&status=failed", token: admin.token).body), [c4])
    }

    func testInvalidFiltersAre400sNamingTheParameter() throws {
        let (status, body) = try fx.send("GET", "/api/calls?status=ringingg", token: admin.token)
        XCTAssertEqual(status, 400)
        XCTAssertEqual(body["message"]?.string,
                       "\"status\" must be one of [initiated, ringing, answered, completed, busy, no-answer, failed, canceled, "
                       + "abandoned, machine]")
        XCTAssertEqual(try fx.send("GET", "/api/calls?salespersonId=nope", token: admin.token).status, 400)
        XCTAssertEqual(try fx.send("GET", "/api/calls?startDate=yesterday", token: admin.token).body["message"],
                       "\"startDate\" must be a valid ISO 8601 date")
        let reversed = try fx.send("GET", "/api/calls?startDate=2024-01-15&endDate=2024-01-14", token: admin.token)
        XCTAssertEqual(reversed.status, 400)
        XCTAssertEqual(reversed.body["message"]?.string, CallDateRange.orderMessage)
        let clamped = try fx.send("GET", "/api/calls?limit=101", token: admin.token)
        XCTAssertEqual(clamped.status, 200)
        XCTAssertEqual(clamped.body["pagination"]?["limit"], 100)
    }

    func testDateOnlyEndDateCoversItsWholeUTCDay() throws {
        let late = try fx.call(lead: lead1, operator: alice.id, status: .canceled,
                               createdAt: CallSliceFixture.now + 13 * CallSliceFixture.hour) // 23:30 UTC
        let nextDay = try fx.call(lead: lead1, operator: alice.id, status: .canceled,
                                  createdAt: CallSliceFixture.now + 14 * CallSliceFixture.hour) // 00:30 next day
        let sameDay = try fx.send("GET", "/api/calls?startDate=2024-01-15&endDate=2024-01-15", token: admin.token).body
        XCTAssertEqual(ids(sameDay), [late, c4, c2, c1])
        XCTAssertFalse(ids(sameDay).contains(nextDay))
        let bounded = try fx.send("GET", "/api/calls?endDate=2024-01-15T09:00:00Z", token: admin.token).body
        XCTAssertEqual(ids(bounded), [c1, c3])
    }

    func testPagination() throws {
        let body = try fx.send("GET", "/api/calls?limit=1&page=2", token: admin.token).body
        XCTAssertEqual(ids(body), [c2])
        XCTAssertEqual(body["pagination"], ["page": 2, "limit": 1, "total": 4, "pages": 4])
        XCTAssertEqual(ids(try fx.send("GET", "/api/calls?limit=2&page=9", token: admin.token).body), [])
    }

    func testDetailShapeOwnershipAndErrors() throws {
        let (status, body) = try fx.send("GET", "/api/calls/\(c1)", token: admin.token)
        XCTAssertEqual(status, 200)
        let call = try XCTUnwrap(body["call"])
        XCTAssertEqual(call["lead"]?.object?.keys, ["_id", "id", "phone", "name", "email", "priority"])
        XCTAssertEqual(call["lead"]?["priority"], "urgent")
        XCTAssertEqual(call["salesperson"]?.object?.keys, ["_id", "id", "name", "email", "phone"])
        XCTAssertEqual(call["duration"], 100)
        XCTAssertEqual(try fx.send("GET", "/api/calls/\(c1)", token: alice.token).status, 200)
        let foreign = try fx.send("GET", "/api/calls/\(c1)", token: bob.token)
        XCTAssertEqual(foreign.status, 403)
        XCTAssertEqual(foreign.body["error"], "Access denied. This call does not belong to you.")
        XCTAssertEqual(try fx.send("GET", "/api/calls/\(c4)", token: bob.token).status, 403)
        let missing = try fx.send("GET", "/api/calls/\(String(repeating: "a", count: 24))", token: admin.token)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.body["error"], "Call not found")
        XCTAssertEqual(try fx.send("GET", "/api/calls/not-an-id", token: admin.token).status, 400)
    }

    func testSummaryWithWorkingFilters() throws {
        let all = try fx.send("GET", "/api/calls/stats/summary", token: admin.token).body
        XCTAssertEqual(all["summary"]?.object?.keys, ["totalCalls", "answeredCalls", "completedCalls", "totalDuration",
                                                      "averageDuration", "totalCost"])
        XCTAssertEqual(CallSliceFixture.numbers(all["summary"]), ["totalCalls": 4, "answeredCalls": 1, "completedCalls": 1,
                                                                  "totalDuration": 100, "averageDuration": 25, "totalCost": 0])
        XCTAssertEqual(all["recentCalls"]?.array?.count, 4)
        XCTAssertEqual(all["recentCalls"]?.array?[1]["salesperson"]?.object?.keys, ["_id", "id", "name"])
        let alices = try fx.send("GET", "/api/calls/stats/summary?salespersonId=\(alice.id)", token: admin.token).body
        XCTAssertEqual(alices["summary"]?["totalCalls"], 2)
        XCTAssertEqual(alices["summary"]?["completedCalls"], 1)
        let bobsOwn = try fx.send("GET", "/api/calls/stats/summary", token: bob.token).body
        XCTAssertEqual(bobsOwn["summary"]?["totalCalls"], 1)
        XCTAssertEqual(bobsOwn["recentCalls"]?.array?.compactMap { $0["_id"]?.string }, [c2])
        let today = try fx.send("GET", "/api/calls/stats/summary?startDate=2024-01-15", token: admin.token).body
        XCTAssertEqual(today["summary"]?["totalCalls"], 3)
        XCTAssertEqual(today["recentCalls"]?.array?.count, 3)
        let empty = try fx.send("GET", "/api/calls/stats/summary?endDate=2020-01-01", token: admin.token).body
        XCTAssertEqual(empty["summary"]?["averageDuration"]?.double, 0)
        XCTAssertEqual(try fx.send("GET", "/api/calls/stats/summary?salespersonId=\(alice.id)", token: bob.token).status, 403)
    }

    func testRequiresAuthentication() throws {
        XCTAssertEqual(try fx.send("GET", "/api/calls", token: nil).status, 401)
        XCTAssertEqual(try fx.send("GET", "/api/calls/stats/summary", token: "garbage").status, 401)
    }

    func testMissingDaemonTablesGiveEmptyListsAndZeros() throws {
        let bare = try CallSliceFixture(migrateDaemons: false)
        let admin = try bare.user("Root", role: .admin)
        let list = try bare.send("GET", "/api/calls", token: admin.token)
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.body["pagination"]?["total"], 0)
        XCTAssertEqual(try bare.send("GET", "/api/calls/\(String(repeating: "b", count: 24))", token: admin.token).status, 404)
        let summary = try bare.send("GET", "/api/calls/stats/summary", token: admin.token)
        XCTAssertEqual(summary.status, 200)
        XCTAssertEqual(summary.body["summary"]?["totalCalls"], 0)
    }
}
