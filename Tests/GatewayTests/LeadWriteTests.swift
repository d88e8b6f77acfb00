import XCTest
@testable import api_gateway
@testable import Shared

/// `POST /api/leads` (#7), `PUT /api/leads/:id` (#10) and `DELETE /api/leads/:id` (#11): body
/// validation (first bad field named, unknown keys refused), what is forwarded to the queue-daemon,
/// and how its answers map (201/200 shapes, 409 duplicate phone, 404, 503 when down).
final class LeadWriteTests: XCTestCase {
    var h: LeadTestHarness!

    override func setUpWithError() throws { h = try LeadTestHarness() }
    override func tearDown() { h = nil }

    private func echoLead(_ body: JSONObject) -> Result<JSONObject, IPCError> {
        var lead = body
        lead["actorId"] = nil
        lead["actorRole"] = nil
        lead["_id"] = "65a1b2c3d4e5f6a7b8c9d0e1"
        lead["id"] = "65a1b2c3d4e5f6a7b8c9d0e1"
        return .success(["lead": .object(lead)])
    }

    func testCreateNormalisesAndForwards() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.create_lead"] = echoLead
        let r = h.send("POST", "/api/leads", as: h.operatorA, json: [
            "phone": "90 123-45-67", "name": " Ann ", "email": "Ann@Example.UZ", "notes": "call after 5",
            "tags": ["vip", " vip ", "new"],
        ])
        XCTAssertEqual(r.status, 201)
        XCTAssertEqual(r.json["message"]?.string, "Lead created successfully")
        XCTAssertEqual(r.json["lead"]?["id"]?.string, "65a1b2c3d4e5f6a7b8c9d0e1")
        let sent = try XCTUnwrap(h.commands("queue.create_lead").first)
        XCTAssertEqual(sent, ["actorId": .string(h.operatorA.id), "phone": "+998901234567", "name": "Ann",
                              "email": "ann@example.uz", "priority": "medium", "notes": "call after 5",
                              "tags": ["vip", "new"]])
    }

    func testCreateValidation() throws {
        try h.startFakeQueue()
        let cases: [(JSON, String)] = [
            ([:], "\"phone\" is required"),
            (["phone": "12ab"], "\"phone\" must be a valid phone number"),
            (["phone": "+998901234567", "name": .string(String(repeating: "n", count: 101))],
             "\"name\" must be 0 to 100 characters long"),
            (["phone": "+998901234567", "email": "not-an-email"], "\"email\" must be a valid email address"),
            (["phone": "+998901234567", "priority": "normal"], "\"priority\" must be one of [urgent, high, medium, low]"),
            (["phone": "+998901234567", "notes": .string(String(repeating: "n", count: 501))],
             "\"notes\" must be 0 to 500 characters long"),
            (["phone": "+998901234567", "tags": "vip"], "\"tags\" must be an array"),
            (["phone": "+998901234567", "tags": [1]], "\"tags[0]\" must be a string"),
            (["phone": "+998901234567", "status": "pending"], "\"status\" is not allowed"),
        ]
        for (body, message) in cases {
            let r = h.send("POST", "/api/leads", as: h.admin, json: body)
            XCTAssertEqual(r.status, 400, message)
            XCTAssertEqual(r.json["message"]?.string, message)
        }
        XCTAssertEqual(h.send("POST", "/api/leads", as: h.admin, body: Array("{".utf8), contentType: "application/json").status, 400)
        XCTAssertEqual(h.send("POST", "/api/leads", as: h.admin, body: Array("phone=1".utf8),
                              contentType: "application/x-www-form-urlencoded").status, 415)
        XCTAssertTrue(h.commands("queue.create_lead").isEmpty)
    }

    /// The lead rules of `FieldRules` at their limits (UTF-16 code units): each limit is forwarded
    /// as sent, one unit (or item) more is the rule's 400 before any IPC.
    func testCreateFieldRulesAtTheirBoundaries() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.create_lead"] = echoLead
        func email(_ length: Int) -> String {  // local part 64, labels of at most 63
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + "."
                + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: length - 196) + ".uz"
        }
        let email254 = email(254)
        XCTAssertEqual(email254.utf8.count, 254)
        let tags20: JSON = .array((1...20).map { .string("t\($0)") })
        let accepted: [(String, JSON)] = [
            ("name", .string(String(repeating: "n", count: 100))), ("name", .string(String(repeating: "😀", count: 50))),
            ("notes", .string(String(repeating: "😀", count: 250))), ("email", .string(email254)),
            ("tags", tags20), ("tags", [.string(String(repeating: "😀", count: 25))]),
        ]
        for (field, value) in accepted {
            let r = h.send("POST", "/api/leads", as: h.admin, json: ["phone": "+998901234567", field: value])
            XCTAssertEqual(r.status, 201, field)
            XCTAssertEqual(h.commands("queue.create_lead").last?[field], value, field)
        }
        let refused: [(String, JSON, String)] = [
            ("name", .string(String(repeating: "😀", count: 50) + "x"), FieldRules.leadName.message),
            ("notes", .string(String(repeating: "😀", count: 250) + "x"), "\"notes\" must be 0 to 500 characters long"),
            ("email", .string(email(255)), "\"email\" must be a valid email address"),
            ("tags", .array((1...21).map { .string("t\($0)") }), "\"tags\" must contain at most 20 items"),
            ("tags", ["ok", .string(String(repeating: "😀", count: 25) + "x")], "\"tags[1]\" must be at most 50 characters long"),
        ]
        for (field, value, message) in refused {
            let r = h.send("POST", "/api/leads", as: h.admin, json: ["phone": "+998901234567", field: value])
            XCTAssertEqual(r.status, 400, field)
            XCTAssertEqual(r.json["message"]?.string, message)
        }
        XCTAssertEqual(h.commands("queue.create_lead").count, accepted.count)
    }

    func testCreateDuplicateIs409WithTheOriginalText() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.create_lead"] = { _ in
            .failure(.conflict(code: .duplicatePhone, error: "Lead with this phone number already exists", message: "dup"))
        }
        let r = h.send("POST", "/api/leads", as: h.admin, json: ["phone": "+998901234567"])
        XCTAssertEqual(r.status, 409)
        XCTAssertEqual(r.errorText, "Lead with this phone number already exists")
    }

    func testCreateWithQueueDownIs503() {
        let r = h.send("POST", "/api/leads", as: h.admin, json: ["phone": "+998901234567"])
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.json, ["error": "Service Unavailable", "message": "queue-daemon is not reachable"])
    }

    func testUpdateForwardsActorRoleAndChangedFieldsOnly() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.update_lead"] = echoLead
        let id = ObjectID.generate(nowMillis: h.clock.now)
        let r = h.send("PUT", "/api/leads/\(id)", as: h.operatorB, json: ["status": "claimed", "priority": "urgent", "email": ""])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["message"]?.string, "Lead updated successfully")
        XCTAssertEqual(h.commands("queue.update_lead").first, [
            "actorId": .string(h.operatorB.id), "actorRole": "operator", "leadId": .string(id),
            "email": "", "priority": "urgent", "status": "claimed",
        ])
    }

    func testUpdateValidation() throws {
        try h.startFakeQueue()
        let id = ObjectID.generate(nowMillis: h.clock.now)
        let cases: [(JSON, String)] = [
            (["bogus": 1], "\"bogus\" is not allowed"),
            (["status": "contacted"], "\"status\" must be one of [pending, claimed, calling, answered, transferred, failed]"),
            ([:], "At least one of email, name, notes, phone, priority, status, tags, timezone is required"),
        ]
        for (body, message) in cases {
            let r = h.send("PUT", "/api/leads/\(id)", as: h.admin, json: body)
            XCTAssertEqual(r.status, 400, message)
            XCTAssertEqual(r.json["message"]?.string, message)
        }
        XCTAssertEqual(h.send("PUT", "/api/leads/nope", as: h.admin, json: ["name": "x"]).errorText, "Invalid id")
        XCTAssertTrue(h.commands("queue.update_lead").isEmpty)
    }

    func testUpdateErrorsMapThrough() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.update_lead"] = { _ in .failure(.notFound(code: .leadNotFound, error: "Lead not found", message: "x")) }
        let r = h.send("PUT", "/api/leads/\(ObjectID.generate(nowMillis: 0))", as: h.admin, json: ["name": "x"])
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(r.errorText, "Lead not found")
    }

    func testDeleteIsAdminOnlyAndForwarded() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.delete_lead"] = { _ in .success([:]) }
        let id = ObjectID.generate(nowMillis: h.clock.now)
        XCTAssertEqual(h.send("DELETE", "/api/leads/\(id)", as: h.operatorA).status, 403)
        let r = h.send("DELETE", "/api/leads/\(id)", as: h.admin)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json, ["message": "Lead deleted successfully"])
        XCTAssertEqual(h.commands("queue.delete_lead"), [["actorId": .string(h.admin.id), "leadId": .string(id)]])
        XCTAssertEqual(h.send("DELETE", "/api/leads/123", as: h.admin).status, 400)
    }

    func testReplyWithoutLeadIs500() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.create_lead"] = { _ in .success([:]) }
        XCTAssertEqual(h.send("POST", "/api/leads", as: h.admin, json: ["phone": "+998901234567"]).status, 500)
    }
}
