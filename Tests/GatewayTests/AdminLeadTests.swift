import XCTest
@testable import api_gateway
@testable import Shared

/// `POST /api/admin/leads/bulk-action` (#30): the request checks (action, leadIds, per-action
/// data), the admin guard, the command sent to the queue-daemon and the response shape.
final class AdminLeadTests: XCTestCase {
    var h: LeadTestHarness!
    let path = AdminLeadRoutes.path

    override func setUpWithError() throws {
        h = try LeadTestHarness()
        try h.startFakeQueue()
        h.queueHandlers["queue.bulk_action"] = { body in
            .success(["modifiedCount": 1, "leadIds": body["leadIds"] ?? [], "skipped": [["id": "x", "reason": "calling"]]])
        }
    }

    override func tearDown() { h = nil }

    private func ids(_ n: Int) -> [JSON] { (0..<n).map { _ in .string(ObjectID.generate(nowMillis: 1_700_000_000_000)) } }

    func testUpdatePriorityForwardsAndAnswers() throws {
        let leadIDs = ids(2)
        let r = h.send("POST", path, as: h.admin, json: [
            "action": "update_priority", "leadIds": .array(leadIDs + [leadIDs[0]]), "data": ["priority": "urgent"],
        ])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["message"]?.string, "Bulk action 'update_priority' completed successfully")
        XCTAssertEqual(r.json["modifiedCount"]?.int, 1)
        XCTAssertEqual(r.json["skipped"]?.array?.count, 1)
        XCTAssertEqual(h.commands("queue.bulk_action").first, [
            "actorId": .string(h.admin.id), "action": "update_priority", "leadIds": .array(leadIDs),
            "data": ["priority": "urgent"],
        ])
    }

    func testEachActionsData() throws {
        XCTAssertEqual(h.send("POST", path, as: h.admin, json: ["action": "update_status", "leadIds": .array(ids(1)),
                                                                 "data": ["status": "pending"]]).status, 200)
        XCTAssertEqual(h.send("POST", path, as: h.admin, json: ["action": "add_tags", "leadIds": .array(ids(1)),
                                                                 "data": ["tags": ["hot", "hot", " warm "]]]).status, 200)
        XCTAssertEqual(h.commands("queue.bulk_action").last?["data"], ["tags": ["hot", "warm"]])
        XCTAssertEqual(h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": .array(ids(3))]).status, 200)
        XCTAssertEqual(h.commands("queue.bulk_action").last?["data"], .object([:]))
    }

    func testRequestShapeErrors() {
        let invalid = "Invalid request: action and leadIds array required"
        for body: JSON in [[:], ["action": "delete"], ["leadIds": .array(ids(1))], ["action": "delete", "leadIds": "x"],
                           ["action": 5, "leadIds": []]] {
            let r = h.send("POST", path, as: h.admin, json: body)
            XCTAssertEqual(r.status, 400)
            XCTAssertEqual(r.errorText, invalid)
        }
        let unknown = h.send("POST", path, as: h.admin, json: ["action": "explode", "leadIds": .array(ids(1))])
        XCTAssertEqual(unknown.status, 400)
        XCTAssertEqual(unknown.errorText, "Invalid action specified")
        XCTAssertEqual(unknown.json["message"]?.string, "Allowed actions: update_priority, update_status, add_tags, delete, update_timezone")
        XCTAssertTrue(h.commands("queue.bulk_action").isEmpty)
    }

    func testLeadIDChecks() {
        XCTAssertEqual(h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": []]).json["message"]?.string,
                       "\"leadIds\" must contain at least 1 item")
        let tooMany = h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": .array(ids(1001))])
        XCTAssertEqual(tooMany.json["message"]?.string, "\"leadIds\" must contain at most 1000 items")
        XCTAssertEqual(h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": .array(ids(1000))]).status, 200)
        let bad = h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": .array(ids(2) + ["nope"])])
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json["message"]?.string, "\"leadIds[2]\" must be a 24-character hex id")
    }

    func testDataChecks() {
        let cases: [(JSON, String)] = [
            (["action": "update_priority", "leadIds": .array(ids(1))], "\"data\" must be an object"),
            (["action": "update_priority", "leadIds": .array(ids(1)), "data": [:]], "\"priority\" is required"),
            (["action": "update_priority", "leadIds": .array(ids(1)), "data": ["priority": "normal"]],
             "\"priority\" must be one of [urgent, high, medium, low]"),
            (["action": "update_status", "leadIds": .array(ids(1)), "data": ["status": "busy"]],
             "\"status\" must be one of [pending, claimed, calling, answered, transferred, failed]"),
            (["action": "add_tags", "leadIds": .array(ids(1)), "data": ["tags": "hot"]], "\"tags\" must be an array"),
            (["action": "add_tags", "leadIds": .array(ids(1)), "data": ["tags": []]],
             "\"tags\" must contain at least 1 non-empty tag"),
        ]
        for (body, message) in cases {
            let r = h.send("POST", path, as: h.admin, json: body)
            XCTAssertEqual(r.status, 400, message)
            XCTAssertEqual(r.json["message"]?.string, message)
        }
        XCTAssertTrue(h.commands("queue.bulk_action").isEmpty)
    }

    func testAdminOnly() {
        XCTAssertEqual(h.send("POST", path, as: h.operatorA, json: ["action": "delete", "leadIds": .array(ids(1))]).status, 403)
        XCTAssertEqual(h.send("POST", path, json: ["action": "delete", "leadIds": .array(ids(1))]).status, 401)
    }

    func testQueueErrorsMapThrough() {
        h.queueHandlers["queue.bulk_action"] = { _ in .failure(.invalid(code: .validationFailed, error: "Validation failed", message: "m")) }
        let r = h.send("POST", path, as: h.admin, json: ["action": "delete", "leadIds": .array(ids(1))])
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.errorText, "Validation failed")
    }
}
