/// `queue.create_lead` over IPC: the reply shape, defaults, the `lead_events` row, the published
/// event, the dispatch hook, and every refusal (validation of each field, duplicate phone
/// including soft-deleted leads).

import XCTest
import Shared
@testable import queue_daemon

final class CommandCreateLeadTests: QueueDaemonTestCase {
    func testCreatesAPendingManualLeadWithEveryField() throws {
        let lead = harness.createLead(phone: "+998901234567", priority: "High", extra: [
            "name": "  Ali Valiyev ", "email": "Ali@Example.COM", "notes": "call after 5",
            "tags": ["vip", " vip", "tashkent"],
        ])
        let id = try XCTUnwrap(lead["id"]?.string)
        XCTAssertTrue(ObjectID.isValid(id))
        XCTAssertEqual(lead["_id"]?.string, id)
        XCTAssertEqual(lead["phone"], "+998901234567")
        XCTAssertEqual(lead["name"], "Ali Valiyev")
        XCTAssertEqual(lead["email"], "ali@example.com")
        XCTAssertEqual(lead["priority"], "high")
        XCTAssertEqual(lead["status"], "pending")
        XCTAssertEqual(lead["source"], "manual")
        XCTAssertEqual(lead["tags"], ["vip", "tashkent"])
        XCTAssertEqual(lead["isActive"], .bool(true))
        XCTAssertEqual(lead["assignedTo"], .null)
        XCTAssertEqual(lead["callAttempts"], .int(0))
        XCTAssertEqual(lead["createdAt"], .string(Timestamp.iso8601(millis: harness.clock.now)))
        XCTAssertEqual(try harness.count("SELECT priority_rank FROM leads WHERE id = ?", [.text(id)]), 1)
        let events = try harness.query("SELECT actor, from_status, to_status, reason FROM lead_events WHERE lead_id = ?", [.text(id)])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.string(at: 0), admin)
        XCTAssertTrue(events.first?[1].isNull ?? false)
        XCTAssertEqual(events.first?.string(at: 2), "pending")
        harness.drain(until: { self.harness.eventTypes().contains("event.lead_created") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.lead_created" })
        XCTAssertEqual(event.body["lead"]?["id"]?.string, id)
        XCTAssertEqual(event.body["actorId"]?.string, admin)
    }

    func testDefaultsToMediumPriorityAndEmptyFields() {
        let lead = harness.createLead(phone: "+12025550123", extra: ["priority": .null])
        XCTAssertEqual(lead["priority"], "medium")
        XCTAssertEqual(lead["name"], "")
        XCTAssertEqual(lead["tags"], [])
    }

    func testNotifiesDispatchOfTheNewLead() {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let lead = harness.createLead(phone: "+998901234567", priority: "urgent")
        XCTAssertEqual(recorder.became.map(\.id), [lead["id"]?.string ?? "?"])
        XCTAssertEqual(recorder.became.first?.priority, .urgent)
    }

    func testRejectsEachInvalidField() {
        let base: JSONObject = ["actorId": .string(admin), "phone": "+998901234567"]
        func rejects(_ changes: JSONObject, mentioning needle: String, line: UInt = #line) {
            var body = base
            for (key, value) in changes { body[key] = value }
            let error = harness.fails("queue.create_lead", body, status: 400, code: "validation_failed",
                                      error: "Validation failed", line: line)
            XCTAssertTrue(error?.message.contains(needle) ?? false, "\(String(describing: error))", line: line)
        }
        rejects(["phone": .null], mentioning: "\"phone\" is required")
        // The gateway's messages (`FieldRules`): this is the owner's last check of the same rules.
        rejects(["phone": "998901234567"], mentioning: "\"phone\" must be a valid phone number")
        rejects(["phone": "+1234567"], mentioning: "\"phone\" must be a valid phone number")
        rejects(["phone": "+1234567890123456"], mentioning: "\"phone\" must be a valid phone number")
        rejects(["phone": "+99890 123 45 67"], mentioning: "\"phone\" must be a valid phone number")
        rejects(["phone": 998901234567], mentioning: "must be a string")
        rejects(["name": .string(String(repeating: "n", count: 101))], mentioning: "\"name\" must be 0 to 100 characters long")
        rejects(["name": .string(String(repeating: "😀", count: 50) + "x")], mentioning: "\"name\" must be 0 to 100 characters long")
        rejects(["notes": .string(String(repeating: "é", count: 501))], mentioning: "\"notes\" must be 0 to 500 characters long")
        rejects(["notes": .string(String(repeating: "😀", count: 251))], mentioning: "\"notes\" must be 0 to 500 characters long")
        rejects(["email": "not-an-email"], mentioning: "\"email\" must be a valid email address")
        rejects(["email": "a@b.c"], mentioning: "email")
        rejects(["email": "ann@example.c0m"], mentioning: "email")
        rejects(["email": "a@b"], mentioning: "email")
        rejects(["email": "a b@c.com"], mentioning: "email")
        rejects(["priority": "normal"], mentioning: "urgent, high, medium, low")
        rejects(["tags": "vip"], mentioning: "must be an array")
        rejects(["tags": [1]], mentioning: "array of strings")
        rejects(["tags": .array((0...20).map { .string("t\($0)") })], mentioning: "\"tags\" must contain at most 20 items")
        rejects(["tags": .array([.string(String(repeating: "t", count: 51))])], mentioning: "\"tags[0]\" must be at most 50 characters long")
        rejects(["tags": .array([.string(String(repeating: "😀", count: 26))])], mentioning: "\"tags[0]\" must be at most 50 characters long")
        rejects(["tags": [" "]], mentioning: "must not be empty")
        rejects(["actorId": "admin"], mentioning: "actorId")
        rejects(["actorId": .null], mentioning: "actorId")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
    }

    func testAcceptsTheLimitsExactly() {
        let lead = harness.createLead(phone: "+123456789012345", extra: [
            "name": .string(String(repeating: "n", count: 100)), "notes": .string(String(repeating: "é", count: 500)),
            "tags": .array((0..<20).map { .string("t\($0)" + String(repeating: "x", count: 47)) }),
        ])
        XCTAssertEqual(lead["tags"]?.array?.count, 20)
        _ = harness.createLead(phone: "+12345678")
        // UTF-16 code units, as the gateway counts them: an emoji is two.
        let emoji = harness.createLead(phone: "+998901234568", extra: [
            "name": .string(String(repeating: "😀", count: 50)), "notes": .string(String(repeating: "😀", count: 250)),
            "tags": [.string(String(repeating: "😀", count: 25))], "email": "Ann.Lee+sales@Example.INFO",
        ])
        XCTAssertEqual(emoji["notes"]?.string, String(repeating: "😀", count: 250))
        XCTAssertEqual(emoji["email"], "ann.lee+sales@example.info")
    }

    func testDuplicatePhoneIsAConflictEvenWhenTheOtherLeadIsDeleted() throws {
        let lead = harness.createLead(phone: "+998901234567")
        harness.fails("queue.create_lead", ["actorId": .string(admin), "phone": "+998901234567"], status: 409,
                      code: "duplicate_phone", error: "Lead with this phone number already exists")
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": lead["id"] ?? .null])
        harness.fails("queue.create_lead", ["actorId": .string(admin), "phone": "+998901234567"], status: 409,
                      code: "duplicate_phone")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 1)
    }

    func testADiskFullWriteIsA500AndTheDaemonKeepsRunning() throws {
        let db = harness.daemon.db
        let pages = try XCTUnwrap(db.queryOne("PRAGMA page_count")?.int(at: 0))
        try db.execute("PRAGMA max_page_count = \(pages)")
        var failure: IPCError?
        for n in 0..<5_000 where failure == nil {
            if case .failure(let error) = harness.call("queue.create_lead", [
                "actorId": .string(admin), "phone": .string("+99890\(1_000_000 + n)"),
                "notes": .string(String(repeating: "x", count: 400)),
            ]) { failure = error }
        }
        let error = try XCTUnwrap(failure)
        XCTAssertEqual(error, QueueErrors.storeFailure)
        XCTAssertEqual(error.body["error"], "Internal Server Error")
        XCTAssertTrue(harness.logs.records.contains { $0.level == .error && $0.message.contains("disk full") })
        try db.execute("PRAGMA max_page_count = 1073741823")
        _ = harness.createLead(phone: "+998909999999")
    }
}

/// Records the dispatch hooks the daemon calls.
final class DispatchRecorder: QueueDispatchDelegate {
    var became: [LeadSnapshot] = []
    var left: [LeadID] = []
    var operators: [String] = []
    var settings: [QueueSettings] = []
    var resetReply: JSONObject = ["message": "Stuck leads reset completed", "resetCount": 2]

    /// Every change set the after-commit step handed over.
    var changeSets: [QueueChangeSet] = []

    func leadsChanged(_ changes: QueueChangeSet) {
        changeSets.append(changes)
        became += changes.entered
        left += changes.left
    }
    func queueDaemonStopping() {}
    func operatorChanged(userId: String) { operators.append(userId) }
    func queueSettingsChanged(_ settings: QueueSettings) { self.settings.append(settings) }
    func resetStuckLeads(actorId: String?, reply: @escaping IPCReply) { reply(.success(resetReply)) }
    func queueStatusDetails() -> (status: JSONObject, activeCalls: [JSON]) {
        (["activeCalls": 3], [["leadId": "x"]])
    }
}
