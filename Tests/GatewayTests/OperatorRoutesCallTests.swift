import XCTest
@testable import Shared
@testable import api_gateway

/// `/api/operator/calls`: start (#36) and update (#37) against fake daemons with every
/// validation 400 and the dialer's refusals, and the caller's own history (#38) with its filters.
final class OperatorRoutesCallTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    var bob: (id: String, token: String)!
    var sent: [JSONObject] = []
    let leadID = "65a5000000abcdef01000001"
    let callID = "65a5000000abcdef01000002"

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        bob = try fx.user("Bob")
    }

    override func tearDown() { fx = nil }

    func startFakes() throws {
        try fx.fakeDaemon("queue", ["queue.start_manual_call": { [self] request, reply in
            sent.append(request.body)
            reply(.success(["call": ["_id": .string(callID), "id": .string(callID), "status": "initiated",
                                     "twilioCallSid": "CA0123", "salesperson": request.body["actorId"] ?? .null],
                            "lead": ["phone": "+998901234567"]]))
        }])
        try fx.fakeDaemon("dialer", ["dialer.update_call": { [self] request, reply in
            sent.append(request.body)
            if request.body["status"]?.string == "ringing" {
                return reply(.failure(.conflict(code: .invalidTransition, error: "Invalid status transition",
                                                message: "Cannot move back (current status: completed)")))
            }
            if request.body["callId"]?.string == String(repeating: "f", count: 24) {
                return reply(.failure(.notFound(code: .callNotFound, error: "Call log not found", message: "No such call")))
            }
            reply(.success(["call": ["_id": .string(callID), "notes": request.body["notes"] ?? .null]]))
        }])
    }

    func testStartCall() throws {
        try startFakes()
        let (status, body) = try fx.send("POST", "/api/operator/calls/start", token: alice.token, json: ["leadId": .string(leadID)])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["message"], "Call started successfully")
        XCTAssertEqual(body["call"]?.object?.keys, ["id", "_id", "lead", "status", "twilioCallSid"])
        XCTAssertEqual(body["call"]?["lead"], "+998901234567")
        XCTAssertEqual(body["call"]?["twilioCallSid"], "CA0123")
        XCTAssertEqual(sent.first, ["actorId": .string(alice.id), "actorRole": "operator", "leadId": .string(leadID)])
        XCTAssertEqual(try fx.send("POST", "/api/operator/calls/start", token: alice.token, json: [:]).status, 400)
        XCTAssertEqual(try fx.send("POST", "/api/operator/calls/start", token: nil, json: [:]).status, 401)
    }

    func testUpdateForwardsOnlyWhatWasGiven() throws {
        try startFakes()
        let (status, body) = try fx.send("PUT", "/api/operator/calls/\(callID)/update", token: alice.token,
                                         json: ["notes": "Call back tomorrow"])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["message"], "Call updated successfully")
        XCTAssertEqual(body["call"]?["notes"], "Call back tomorrow")
        XCTAssertEqual(sent.last, ["actorId": .string(alice.id), "actorRole": "operator", "callId": .string(callID),
                                   "notes": "Call back tomorrow"])
        XCTAssertEqual(try fx.send("PUT", "/api/operator/calls/\(callID)/update", token: admin.token,
                                   json: ["status": "no-answer"]).status, 200)
        XCTAssertEqual(sent.last?["actorRole"], "admin")
        XCTAssertEqual(sent.last?["status"], "no-answer")
    }

    func testUpdateValidation() throws {
        try startFakes()
        func update(_ json: JSON) throws -> (Int, String?) {
            let (status, body) = try fx.send("PUT", "/api/operator/calls/\(callID)/update", token: alice.token, json: json)
            return (status, body["message"]?.string)
        }
        let badStatus = try update(["status": "done"])
        XCTAssertEqual(badStatus.0, 400)
        XCTAssertEqual(badStatus.1,
                       "\"status\" must be one of [initiated, ringing, answered, completed, busy, no-answer, failed, canceled]")
        XCTAssertEqual(try update(["notes": .string(String(repeating: "n", count: 1001))]).0, 400)
        XCTAssertEqual(try update(["notes": .string(String(repeating: "n", count: 1000))]).0, 200)
        XCTAssertEqual(try update(["duration": -1]).1, "\"duration\" must be between 0 and 86400")
        XCTAssertEqual(try update(["duration": 86401]).0, 400)
        XCTAssertEqual(try update(["duration": 1.5]).1, "\"duration\" must be an integer")
        XCTAssertEqual(try update(["duration": 86400]).0, 200)
        XCTAssertEqual(try update([:]).1, "At least one of \"status\", \"notes\" or \"duration\" is required")
        XCTAssertEqual(sent.count, 2)
    }

    func testUpdateRefusalsComeFromTheDialer() throws {
        try startFakes()
        let conflict = try fx.send("PUT", "/api/operator/calls/\(callID)/update", token: alice.token, json: ["status": "ringing"])
        XCTAssertEqual(conflict.status, 409)
        XCTAssertEqual(conflict.body["error"], "Invalid status transition")
        let missing = try fx.send("PUT", "/api/operator/calls/\(String(repeating: "f", count: 24))/update",
                                  token: alice.token, json: ["notes": "x"])
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.body["error"], "Call log not found")
    }

    func testUpdateWithDialerDownIs503() throws {
        XCTAssertEqual(try fx.send("PUT", "/api/operator/calls/\(callID)/update", token: alice.token,
                                   json: ["notes": "x"]).status, 503)
    }

    func testHistoryShowsOwnCallsWithFilters() throws {
        let lead = try fx.lead(priority: .high)
        let now = CallSliceFixture.now, day = CallSliceFixture.day
        let a1 = try fx.call(lead: lead, operator: alice.id, status: .completed, createdAt: now - 1000, duration: 60)
        let a2 = try fx.call(lead: lead, operator: alice.id, status: .busy, createdAt: now - 2 * day)
        try fx.call(lead: lead, operator: bob.id, status: .completed, createdAt: now - 500)
        let all = try fx.send("GET", "/api/operator/calls/history", token: alice.token).body
        XCTAssertEqual(all["calls"]?.array?.compactMap { $0["_id"]?.string }, [a1, a2])
        XCTAssertEqual(all["pagination"]?["total"], 2)
        let first = try XCTUnwrap(all["calls"]?.array?.first)
        XCTAssertEqual(first["lead"]?.object?.keys, ["_id", "id", "phone", "name", "priority"])
        XCTAssertEqual(first["lead"]?["priority"], "high")
        XCTAssertEqual(first["salesperson"]?.string, alice.id)
        func ids(_ query: String) throws -> [String] {
            try fx.send("GET", "/api/operator/calls/history" + query, token: alice.token).body["calls"]?.array?
                .compactMap { $0["_id"]?.string } ?? []
        }
        XCTAssertEqual(try ids("?status=busy"), [a2])
        XCTAssertEqual(try ids("?startDate=2024-01-14"), [a1])
        XCTAssertEqual(try ids("?endDate=2024-01-13"), [a2])
        XCTAssertEqual(try ids("?limit=1&page=2"), [a2])
        XCTAssertEqual(try fx.send("GET", "/api/operator/calls/history?status=nope", token: alice.token).status, 400)
        XCTAssertEqual(try fx.send("GET", "/api/operator/calls/history", token: admin.token).body["calls"]?.array?.count, 0)
    }
}
