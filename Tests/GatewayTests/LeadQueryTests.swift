import XCTest
@testable import api_gateway
@testable import Shared

/// `GET /api/leads` (#8), `GET /api/leads/:id` (#9) and `GET /api/leads/stats/summary` (#12),
/// answered from SQL: filters, operator scope, sort, pagination and its limits, bad values, the
/// populated detail with call history, and the stats shape.
final class LeadQueryTests: XCTestCase {
    var h: LeadTestHarness!

    override func setUpWithError() throws { h = try LeadTestHarness() }
    override func tearDown() { h = nil }

    private func phones(_ response: HTTPResponse) -> [String] {
        response.json["leads"]?.array?.compactMap { $0["phone"]?.string } ?? []
    }

    private func seed() throws -> (a: String, b: String, c: String, d: String) {
        let t = h.clock.now
        let a = try h.insertLead(phone: "+998900000001", name: "Alpha", email: "alpha@x.uz", priority: .low, createdAt: t - 4000)
        let b = try h.insertLead(phone: "+998900000002", name: "Bravo 100%", status: .claimed, priority: .urgent,
                                 assignedTo: h.operatorA.id, createdAt: t - 3000, callAttempts: 2)
        let c = try h.insertLead(phone: "+998900000003", name: "charlie_x", status: .claimed, priority: .high,
                                 assignedTo: h.operatorB.id, createdAt: t - 2000)
        let d = try h.insertLead(phone: "+998900000004", name: "Deleted", isActive: false, createdAt: t - 1000)
        return (a, b, c, d)
    }

    func testAdminListsActiveLeadsNewestFirstWithPagination() throws {
        _ = try seed()
        let r = h.send("GET", "/api/leads", as: h.admin)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(phones(r), ["+998900000003", "+998900000002", "+998900000001"])
        XCTAssertEqual(r.json["pagination"]?.object, ["page": 1, "limit": 20, "total": 3, "pages": 1])
        let lead = try XCTUnwrap(r.json["leads"]?.array?[1].object)
        XCTAssertEqual(lead["_id"], lead["id"])
        XCTAssertEqual(lead["assignedTo"]?["name"]?.string, "Olga")
        XCTAssertEqual(lead["assignedTo"]?["id"]?.string, h.operatorA.id)

        let page2 = h.send("GET", "/api/leads?limit=2&page=2", as: h.admin)
        XCTAssertEqual(phones(page2), ["+998900000001"])
        XCTAssertEqual(page2.json["pagination"]?.object, ["page": 2, "limit": 2, "total": 3, "pages": 2])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?page=9", as: h.admin)), [])
    }

    func testFiltersCombine() throws {
        _ = try seed()
        XCTAssertEqual(phones(h.send("GET", "/api/leads?status=claimed", as: h.admin)), ["+998900000003", "+998900000002"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?status=claimed&priority=urgent", as: h.admin)), ["+998900000002"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?assignedTo=\(h.operatorB.id)", as: h.admin)), ["+998900000003"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=ALPHA", as: h.admin)), ["+998900000001"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=0000002", as: h.admin)), ["+998900000002"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=x.uz", as: h.admin)), ["+998900000001"])
        // `%` and `_` are literal characters, not patterns.
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=100%25", as: h.admin)), ["+998900000002"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=e_x", as: h.admin)), ["+998900000003"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?search=%25", as: h.admin)), ["+998900000002"])
        let deleted = h.send("GET", "/api/leads?includeDeleted=true", as: h.admin)
        XCTAssertEqual(deleted.json["pagination"]?["total"]?.int, 4)
        XCTAssertEqual(deleted.json["leads"]?.array?.first?["isActive"], .bool(false))
    }

    func testSortOptions() throws {
        _ = try seed()
        XCTAssertEqual(phones(h.send("GET", "/api/leads?sortBy=priority&sortOrder=asc", as: h.admin)),
                       ["+998900000002", "+998900000003", "+998900000001"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?sortBy=createdAt&sortOrder=asc", as: h.admin)),
                       ["+998900000001", "+998900000002", "+998900000003"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?sortBy=callAttempts", as: h.admin)).first, "+998900000002")
        XCTAssertEqual(phones(h.send("GET", "/api/leads?sortBy=name&sortOrder=asc", as: h.admin)),
                       ["+998900000001", "+998900000002", "+998900000003"])
    }

    func testOperatorSeesUnassignedAndOwnLeadsOnly() throws {
        _ = try seed()
        XCTAssertEqual(phones(h.send("GET", "/api/leads", as: h.operatorA)), ["+998900000002", "+998900000001"])
        XCTAssertEqual(phones(h.send("GET", "/api/leads?assignedTo=\(h.operatorB.id)", as: h.operatorA)), [])
        let refused = h.send("GET", "/api/leads?includeDeleted=true", as: h.operatorA)
        XCTAssertEqual(refused.status, 403)
    }

    func testBadQueryValuesAre400NamingTheParameter() throws {
        let cases: [(String, String)] = [
            ("status=new", "\"status\" must be one of [pending, claimed, calling, answered, transferred, failed]"),
            ("priority=normal", "\"priority\" must be one of [urgent, high, medium, low]"),
            ("sortBy=phone", "\"sortBy\" must be one of [createdAt, updatedAt, priority, status, name, callAttempts]"),
            ("sortOrder=up", "\"sortOrder\" must be one of [asc, desc]"),
            ("includeDeleted=yes", "\"includeDeleted\" must be true or false"),
            ("limit=-5", "\"limit\" must be an integer from 1 to 100"),
            ("limit=0", "\"limit\" must be an integer from 1 to 100"),
            ("page=0", "\"page\" must be an integer from 1 to 1000000"),
            ("search=" + String(repeating: "a", count: 201), "\"search\" must be at most 200 characters long"),
        ]
        for (query, message) in cases {
            let r = h.send("GET", "/api/leads?" + query, as: h.admin)
            XCTAssertEqual(r.status, 400, query)
            XCTAssertEqual(r.json["message"]?.string, message, query)
        }
        let badID = h.send("GET", "/api/leads?assignedTo=xyz", as: h.admin)
        XCTAssertEqual(badID.status, 400)
        XCTAssertEqual(badID.errorText, "Invalid id")
    }

    func testListNeedsAToken() {
        XCTAssertEqual(h.send("GET", "/api/leads").status, 401)
    }

    func testTotalIsCachedUntilAnotherConnectionCommits() throws {
        _ = try seed()
        XCTAssertEqual(h.send("GET", "/api/leads", as: h.admin).json["pagination"]?["total"]?.int, 3)
        let hits = h.leadRoutes.list.countCacheHits
        XCTAssertEqual(h.send("GET", "/api/leads?page=2", as: h.admin).json["pagination"]?["total"]?.int, 3)
        XCTAssertEqual(h.leadRoutes.list.countCacheHits, hits + 1)
        try h.insertLead(phone: "+998900000009")
        XCTAssertEqual(h.send("GET", "/api/leads", as: h.admin).json["pagination"]?["total"]?.int, 4)
    }

    func testDetailPopulatesAssigneeAndCallHistoryNewestFirst() throws {
        let ids = try seed()
        try h.insertCall(leadID: ids.b, operatorID: h.operatorA.id, status: .busy, startTime: h.clock.now - 60_000)
        try h.insertCall(leadID: ids.b, operatorID: nil, status: .completed, startTime: h.clock.now - 10_000, duration: 42)
        let r = h.send("GET", "/api/leads/\(ids.b)", as: h.admin)
        XCTAssertEqual(r.status, 200)
        let lead = try XCTUnwrap(r.json["lead"]?.object)
        XCTAssertEqual(lead["id"]?.string, ids.b)
        XCTAssertEqual(lead["assignedTo"]?.object?.keys, ["_id", "id", "name", "email", "phone"])
        XCTAssertEqual(lead["assignedTo"]?["email"]?.string, "olga@example.com")
        let calls = try XCTUnwrap(lead["callHistory"]?.array)
        XCTAssertEqual(calls.map { $0["status"]?.string }, ["completed", "busy"])
        XCTAssertEqual(calls[0]["duration"]?.int, 42)
        XCTAssertEqual(calls[0]["salesperson"], .null)
        XCTAssertEqual(calls[1]["salesperson"]?["name"]?.string, "Olga")
        XCTAssertEqual(calls[1]["startTime"]?.string, Timestamp.iso8601(millis: h.clock.now - 60_000))
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.a)", as: h.admin).json["lead"]?["callHistory"], .array([]))
    }

    func testDetailVisibility() throws {
        let ids = try seed()
        let deleted = h.send("GET", "/api/leads/\(ids.d)", as: h.admin)
        XCTAssertEqual(deleted.status, 404, "a deleted lead is gone unless asked for")
        XCTAssertEqual(deleted.errorText, "Lead not found")
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.d)?includeDeleted=true", as: h.admin).json["lead"]?["isActive"],
                       .bool(false))
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.d)?includeDeleted=true", as: h.operatorA).status, 403)
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.a)?includeDeleted=maybe", as: h.admin).status, 400)
        let hidden = h.send("GET", "/api/leads/\(ids.d)", as: h.operatorA)
        XCTAssertEqual(hidden.status, 404)
        XCTAssertEqual(hidden.errorText, "Lead not found")
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.c)", as: h.operatorA).status, 404)
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.b)", as: h.operatorA).status, 200)
        XCTAssertEqual(h.send("GET", "/api/leads/\(ids.a)", as: h.operatorA).status, 200)
        XCTAssertEqual(h.send("GET", "/api/leads/\(ObjectID.generate(nowMillis: 0))", as: h.admin).status, 404)
    }

    func testMalformedIDIs400() {
        for id in ["abc", "ZZZZZZZZZZZZZZZZZZZZZZZZ", "65a1b2c3d4e5f6a7b8c9d0e1f"] {
            let r = h.send("GET", "/api/leads/\(id)", as: h.admin)
            XCTAssertEqual(r.status, 400, id)
            XCTAssertEqual(r.errorText, "Invalid id")
        }
    }

    func testDetailWithoutCallsTableHasEmptyHistory() throws {
        let id = try h.insertLead(phone: "+998900000001")
        try h.dialerDB.execute("DROP TABLE calls")
        let r = h.send("GET", "/api/leads/\(id)", as: h.admin)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["lead"]?["callHistory"], .array([]))
    }

    func testStatsShape() throws {
        _ = try seed()
        try h.insertLead(phone: "+998900000005", status: .failed, priority: .urgent)
        let r = h.send("GET", "/api/leads/stats/summary", as: h.operatorA)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["summary"]?.object?.keys,
                       ["total", "pending", "claimed", "calling", "answered", "transferred", "failed"])
        XCTAssertEqual(r.json["summary"]?.object, ["total": 4, "pending": 1, "claimed": 2, "calling": 0, "answered": 0,
                                                   "transferred": 0, "failed": 1])
        XCTAssertEqual(r.json["priorityBreakdown"], [["_id": "urgent", "count": 2], ["_id": "high", "count": 1],
                                                     ["_id": "medium", "count": 0], ["_id": "low", "count": 1]])
    }

    func testStatsOnEmptyTableListsEveryKeyWithZero() {
        let r = h.send("GET", "/api/leads/stats/summary", as: h.admin)
        XCTAssertEqual(r.json["summary"]?["total"]?.int, 0)
        XCTAssertEqual(r.json["priorityBreakdown"]?.array?.count, 4)
    }
}
