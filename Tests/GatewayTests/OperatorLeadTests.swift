import XCTest
@testable import api_gateway
@testable import Shared

/// `GET /api/operator/leads/available` (#34): what counts as available, dispatch ordering,
/// filters combined with the conditions, pagination, and the data_version / due-time cache;
/// `POST /api/operator/leads/claim` (#35) and `/release`: body checks and the mapping of the
/// queue-daemon's answers (200 view, 409, 404, 400, 503).
final class OperatorLeadTests: XCTestCase {
    var h: LeadTestHarness!

    override func setUpWithError() throws { h = try LeadTestHarness() }
    override func tearDown() { h = nil }

    private func phones(_ response: HTTPResponse) -> [String] {
        response.json["leads"]?.array?.compactMap { $0["phone"]?.string } ?? []
    }

    func testAvailableOrderingAndConditions() throws {
        let t = h.clock.now
        try h.insertLead(phone: "+998900000001", priority: .low, createdAt: t - 9000)
        try h.insertLead(phone: "+998900000002", priority: .medium, createdAt: t - 8000)
        try h.insertLead(phone: "+998900000003", priority: .urgent, createdAt: t - 1000)
        try h.insertLead(phone: "+998900000004", priority: .high, createdAt: t - 7000)
        try h.insertLead(phone: "+998900000005", priority: .urgent, createdAt: t - 5000)
        try h.insertLead(phone: "+998900000006", priority: .high, nextCallTime: t - 1)
        // Not available: claimed, assigned, deleted, not yet due, calling.
        try h.insertLead(phone: "+998900000011", status: .claimed, priority: .urgent, assignedTo: h.operatorA.id)
        try h.insertLead(phone: "+998900000012", priority: .urgent, assignedTo: h.operatorB.id)
        try h.insertLead(phone: "+998900000013", priority: .urgent, isActive: false)
        try h.insertLead(phone: "+998900000014", priority: .urgent, nextCallTime: t + 60_000)
        try h.insertLead(phone: "+998900000015", status: .calling, priority: .urgent)

        let r = h.send("GET", "/api/operator/leads/available", as: h.operatorA)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.headers["Content-Type"], "application/json; charset=utf-8")
        XCTAssertEqual(phones(r), ["+998900000005", "+998900000003", "+998900000004", "+998900000006",
                                   "+998900000002", "+998900000001"])
        XCTAssertEqual(r.json["pagination"]?.object, ["page": 1, "limit": 20, "total": 6, "pages": 1])
        let lead = try XCTUnwrap(r.json["leads"]?.array?.first?.object)
        XCTAssertEqual(lead["_id"], lead["id"])
        XCTAssertEqual(lead["assignedTo"], .null)
    }

    func testFiltersNarrowTheAvailableSetAndPaginate() throws {
        let t = h.clock.now
        try h.insertLead(phone: "+998900000001", name: "Ann", priority: .high, createdAt: t - 3000)
        try h.insertLead(phone: "+998900000002", name: "Bob", priority: .high, createdAt: t - 2000)
        try h.insertLead(phone: "+998900000003", name: "Annabel", priority: .low, createdAt: t - 1000)
        try h.insertLead(phone: "+998900000004", name: "Ann Assigned", priority: .high, assignedTo: h.operatorA.id)
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available?priority=high", as: h.operatorA)),
                       ["+998900000001", "+998900000002"])
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available?search=ann", as: h.operatorA)),
                       ["+998900000001", "+998900000003"])
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available?search=ann&priority=low", as: h.admin)),
                       ["+998900000003"])
        let page = h.send("GET", "/api/operator/leads/available?limit=1&page=2", as: h.operatorA)
        XCTAssertEqual(phones(page), ["+998900000002"])
        XCTAssertEqual(page.json["pagination"]?.object, ["page": 2, "limit": 1, "total": 3, "pages": 3])
    }

    func testBadAvailableParametersAre400() {
        XCTAssertEqual(h.send("GET", "/api/operator/leads/available?priority=normal", as: h.operatorA).json["message"]?.string,
                       "\"priority\" must be one of [urgent, high, medium, low]")
        XCTAssertEqual(h.send("GET", "/api/operator/leads/available?limit=0", as: h.operatorA).status, 400)
        XCTAssertEqual(h.send("GET", "/api/operator/leads/available?limit=500", as: h.operatorA)
                        .json["pagination"]?["limit"], 100)
        XCTAssertEqual(h.send("GET", "/api/operator/leads/available").status, 401)
    }

    func testCacheServesRepeatsAndNoticesCommitsAndDueTimes() throws {
        let t = h.clock.now
        try h.insertLead(phone: "+998900000001")
        try h.insertLead(phone: "+998900000002", nextCallTime: t + 30_000)
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available", as: h.operatorA)), ["+998900000001"])
        let hits = h.operatorRoutes.available.pageCacheHits
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available", as: h.operatorB)), ["+998900000001"])
        XCTAssertEqual(h.operatorRoutes.available.pageCacheHits, hits + 1)
        // Time alone makes the second lead due.
        h.clock.advance(byMillis: 30_000)
        XCTAssertEqual(phones(h.send("GET", "/api/operator/leads/available", as: h.operatorA)),
                       ["+998900000001", "+998900000002"])
        // A commit by the queue connection invalidates the cache.
        try h.queueDB.run("UPDATE leads SET status = 'claimed' WHERE phone = '+998900000001'")
        let after = h.send("GET", "/api/operator/leads/available", as: h.operatorA)
        XCTAssertEqual(phones(after), ["+998900000002"])
        XCTAssertEqual(after.json["pagination"]?["total"]?.int, 1)
    }

    // MARK: Claim and release

    func testClaimForwardsAndAnswersTheClaimView() throws {
        try h.startFakeQueue()
        let leadID = ObjectID.generate(nowMillis: h.clock.now)
        h.queueHandlers["queue.claim_lead"] = { body in
            .success(["lead": ["_id": .string(leadID), "id": .string(leadID), "phone": "+998900000001", "name": "Ann",
                               "priority": "high", "status": "claimed", "assignedTo": body["actorId"] ?? .null,
                               "claimedAt": "2023-11-14T22:13:20.000Z", "notes": "hidden", "tags": []]])
        }
        let r = h.send("POST", "/api/operator/leads/claim", as: h.operatorA, json: ["leadId": .string(leadID)])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["message"]?.string, "Lead claimed successfully")
        XCTAssertEqual(r.json["lead"]?.object?.keys, ["id", "_id", "phone", "name", "priority", "status", "assignedTo", "claimedAt"])
        XCTAssertEqual(r.json["lead"]?["status"]?.string, "claimed")
        XCTAssertEqual(r.json["lead"]?["assignedTo"]?.string, h.operatorA.id)
        XCTAssertEqual(h.commands("queue.claim_lead"), [["actorId": .string(h.operatorA.id), "actorRole": "operator",
                                                         "leadId": .string(leadID)]])
    }

    func testClaimErrorsFromTheQueueKeepTheirStatusAndStrings() throws {
        try h.startFakeQueue()
        let leadID = ObjectID.generate(nowMillis: h.clock.now)
        let cases: [(IPCError, Int, String)] = [
            (.conflict(code: .leadNotAvailable, error: "Lead is not available for claiming", message: "claimed"), 409,
             "Lead is not available for claiming"),
            (.notFound(code: .leadNotFound, error: "Lead not found", message: "none"), 404, "Lead not found"),
            (.invalid(code: .leadInactive, error: "Lead is not active", message: "deleted"), 400, "Lead is not active"),
        ]
        for (error, status, text) in cases {
            h.queueHandlers["queue.claim_lead"] = { _ in .failure(error) }
            let r = h.send("POST", "/api/operator/leads/claim", as: h.operatorA, json: ["leadId": .string(leadID)])
            XCTAssertEqual(r.status, status)
            XCTAssertEqual(r.errorText, text)
        }
    }

    func testClaimBodyChecks() throws {
        try h.startFakeQueue()
        for body: JSON in [[:], ["leadId": nil], ["leadId": ""]] {
            let r = h.send("POST", "/api/operator/leads/claim", as: h.operatorA, json: body)
            XCTAssertEqual(r.status, 400)
            XCTAssertEqual(r.errorText, "Lead ID is required")
        }
        for bad: JSON in ["123", 42, ["x"]] {
            let r = h.send("POST", "/api/operator/leads/claim", as: h.operatorA, json: ["leadId": bad])
            XCTAssertEqual(r.status, 400)
            XCTAssertEqual(r.errorText, "Invalid id")
        }
        XCTAssertEqual(h.send("POST", "/api/operator/leads/claim", as: h.operatorA, body: Array("{}".utf8)).status, 415)
        XCTAssertTrue(h.commands("queue.claim_lead").isEmpty)
    }

    func testClaimWithQueueDownIs503() throws {
        let r = h.send("POST", "/api/operator/leads/claim", as: h.operatorA,
                       json: ["leadId": .string(ObjectID.generate(nowMillis: 0))])
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.json["message"]?.string, "queue-daemon is not reachable")
    }

    func testReleaseForwardsToTheQueue() throws {
        try h.startFakeQueue()
        let leadID = ObjectID.generate(nowMillis: h.clock.now)
        h.queueHandlers["queue.release_lead"] = { _ in
            .success(["lead": ["_id": .string(leadID), "id": .string(leadID), "phone": "+998900000001", "name": "",
                               "priority": "medium", "status": "pending", "assignedTo": nil, "claimedAt": nil]])
        }
        let r = h.send("POST", "/api/operator/leads/release", as: h.operatorB, json: ["leadId": .string(leadID)])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["message"]?.string, "Lead released successfully")
        XCTAssertEqual(r.json["lead"]?["status"]?.string, "pending")
        XCTAssertEqual(h.commands("queue.release_lead").first?["actorId"]?.string, h.operatorB.id)
    }
}
