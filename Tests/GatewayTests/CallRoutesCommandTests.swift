import XCTest
@testable import Shared
@testable import api_gateway

/// `POST /api/calls/initiate` and `PUT /api/calls/:id/status` against fake queue and dialer
/// daemons: the IPC bodies sent (actor, role, ids), the response shapes, validation 400s before
/// any IPC, the daemons' refusals passed through, and 503 when a daemon is down.
final class CallRoutesCommandTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var alice: (id: String, token: String)!
    var bob: (id: String, token: String)!
    var sent: [(type: String, body: JSONObject)] = []
    let leadID = "65a5000000abcdef01000001"
    let callID = "65a5000000abcdef01000002"
    let busyLead = "65a5000000abcdef01000003"

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
        alice = try fx.user("Alice")
        bob = try fx.user("Bob")
    }

    override func tearDown() { fx = nil }

    /// A queue fake answering `start_manual_call` like queue-daemon (`busyLead` → 409).
    func startQueue() throws {
        try fx.fakeDaemon("queue", ["queue.start_manual_call": { [self] request, reply in
            sent.append(("queue.start_manual_call", request.body))
            if request.body["leadId"]?.string == busyLead {
                return reply(.failure(.conflict(code: .leadAssignedToOther, error: "Lead is assigned to another operator",
                                                message: "Lead is claimed by another operator")))
            }
            let op = request.body["operatorId"] ?? request.body["actorId"] ?? .null
            let call: JSONObject = ["_id": .string(callID), "id": .string(callID), "lead": .string(leadID),
                                    "salesperson": op, "status": "initiated", "twilioCallSid": .null, "to": "+998911112233"]
            reply(.success(["call": .object(call), "lead": ["_id": .string(leadID), "phone": "+998911112233"]]))
        }])
    }

    /// A dialer fake answering `update_call`; a callId of all "f" is unknown, of all "e" is someone else's.
    func startDialer() throws {
        try fx.fakeDaemon("dialer", ["dialer.update_call": { [self] request, reply in
            sent.append(("dialer.update_call", request.body))
            switch request.body["callId"]?.string {
            case String(repeating: "f", count: 24):
                reply(.failure(.notFound(code: .callNotFound, error: "Call log not found", message: "No such call")))
            case String(repeating: "e", count: 24):
                reply(.failure(.forbidden(code: .accessDenied, error: "Access denied. This call does not belong to you.",
                                          message: "Not your call")))
            default:
                reply(.success(["call": ["_id": .string(callID), "status": request.body["status"] ?? "answered"]]))
            }
        }])
    }

    func testAdminInitiatesForANamedSalesperson() throws {
        try startQueue()
        let (status, body) = try fx.send("POST", "/api/calls/initiate", token: admin.token,
                                         json: ["leadId": .string(leadID), "salespersonId": .string(alice.id)])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["message"], "Call initiated successfully")
        XCTAssertEqual(body["call"]?.object?.keys, ["id", "_id", "lead", "salesperson", "status", "twilioCallSid"])
        XCTAssertEqual(body["call"]?["lead"], "+998911112233")
        XCTAssertEqual(body["call"]?["salesperson"], "Alice")
        XCTAssertEqual(body["call"]?["status"], "initiated")
        XCTAssertEqual(sent.first?.body, ["actorId": .string(admin.id), "actorRole": "admin", "leadId": .string(leadID),
                                          "operatorId": .string(alice.id)])
    }

    func testOperatorInitiatesForThemselvesOnly() throws {
        try startQueue()
        let (status, body) = try fx.send("POST", "/api/calls/initiate", token: bob.token, json: ["leadId": .string(leadID)])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["call"]?["salesperson"], "Bob")
        XCTAssertEqual(sent.first?.body, ["actorId": .string(bob.id), "actorRole": "operator", "leadId": .string(leadID)])
        let other = try fx.send("POST", "/api/calls/initiate", token: bob.token,
                                json: ["leadId": .string(leadID), "salespersonId": .string(alice.id)])
        XCTAssertEqual(other.status, 403)
        XCTAssertEqual(sent.count, 1)
    }

    func testInitiateValidationAndRefusals() throws {
        try startQueue()
        let missing = try fx.send("POST", "/api/calls/initiate", token: admin.token, json: [:])
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.body["message"], "\"leadId\" is required")
        XCTAssertEqual(try fx.send("POST", "/api/calls/initiate", token: admin.token, json: ["leadId": "x1"]).status, 400)
        XCTAssertEqual(sent.count, 0)
        let refused = try fx.send("POST", "/api/calls/initiate", token: admin.token, json: ["leadId": .string(busyLead)])
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(refused.body["error"], "Lead is assigned to another operator")
    }

    func testInitiateWithQueueDownIs503() throws {
        let (status, body) = try fx.send("POST", "/api/calls/initiate", token: admin.token, json: ["leadId": .string(leadID)])
        XCTAssertEqual(status, 503)
        XCTAssertEqual(body["message"], "queue-daemon is not reachable")
    }

    func testStatusUpdateIsForwardedWithTheActor() throws {
        try startDialer()
        let (status, body) = try fx.send("PUT", "/api/calls/\(callID)/status", token: alice.token,
                                         json: ["status": "completed", "duration": 120, "notes": "Interested", "extra": 1])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["message"], "Call status updated successfully")
        XCTAssertEqual(body["call"]?["status"], "completed")
        XCTAssertEqual(sent.first?.body, ["actorId": .string(alice.id), "actorRole": "operator", "callId": .string(callID),
                                          "status": "completed", "notes": "Interested", "duration": 120])
    }

    func testStatusUpdateErrors() throws {
        try startDialer()
        let noStatus = try fx.send("PUT", "/api/calls/\(callID)/status", token: admin.token, json: ["notes": "x"])
        XCTAssertEqual(noStatus.status, 400)
        XCTAssertEqual(noStatus.body["message"], "\"status\" is required")
        XCTAssertEqual(try fx.send("PUT", "/api/calls/zz/status", token: admin.token, json: ["status": "busy"]).status, 400)
        XCTAssertEqual(sent.count, 0)
        let unknown = try fx.send("PUT", "/api/calls/\(String(repeating: "f", count: 24))/status", token: admin.token,
                                  json: ["status": "busy"])
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.body["error"], "Call not found")
        let foreign = try fx.send("PUT", "/api/calls/\(String(repeating: "e", count: 24))/status", token: bob.token,
                                  json: ["status": "busy"])
        XCTAssertEqual(foreign.status, 403)
        XCTAssertEqual(foreign.body["error"], "Access denied. This call does not belong to you.")
    }

    /// `FieldRules.callNotes` on the REST path: 1000 UTF-16 code units are forwarded as sent (500
    /// emoji too), one unit more is the rule's 400 before any IPC.
    func testCallNotesAtTheirBoundary() throws {
        try startDialer()
        let atLimit = [String(repeating: "n", count: 1000), String(repeating: "😀", count: 500),
                       String(repeating: "😀", count: 499) + "ab"]
        let overLimit = [String(repeating: "n", count: 1001), String(repeating: "😀", count: 501),
                         String(repeating: "😀", count: 500) + "a"]
        for notes in atLimit + overLimit {
            let (status, body) = try fx.send("PUT", "/api/calls/\(callID)/status", token: admin.token,
                                             json: ["status": "completed", "notes": .string(notes)])
            if atLimit.contains(notes) {
                XCTAssertEqual(status, 200)
                XCTAssertEqual(sent.last?.body["notes"]?.string, notes)
            } else {
                XCTAssertEqual(status, 400)
                XCTAssertEqual(body["message"], "\"notes\" must be 0 to 1000 characters long")
            }
        }
        XCTAssertEqual(sent.count, atLimit.count)
    }

    func testStatusUpdateWithDialerDownIs503() throws {
        let (status, body) = try fx.send("PUT", "/api/calls/\(callID)/status", token: admin.token, json: ["status": "busy"])
        XCTAssertEqual(status, 503)
        XCTAssertEqual(body["message"], "dialer-daemon is not reachable")
    }
}
