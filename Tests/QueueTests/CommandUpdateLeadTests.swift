/// `queue.update_lead` and `queue.delete_lead` over IPC: field edits with `priority_rank` and
/// `updated_at` in step, status changes through the state machine, operator restrictions, the
/// events published, soft delete, and every refusal.

import XCTest
import Shared
@testable import queue_daemon

final class CommandUpdateLeadTests: QueueDaemonTestCase {
    private let operatorA = QueueDaemonHarness.operatorA


    private func update(_ id: String, _ fields: JSONObject, actor: String = QueueDaemonHarness.admin,
                        role: String = "admin") -> JSONObject {
        var body: JSONObject = ["actorId": .string(actor), "actorRole": .string(role), "leadId": .string(id)]
        for (key, value) in fields { body[key] = value }
        return body
    }

    private func newLeadId(_ phone: String = "+998901234567", priority: String = "medium") -> String {
        harness.createLead(phone: phone, priority: priority)["id"]?.string ?? "missing"
    }

    /// Puts the lead into `calling` as the dispatcher would.
    private func startCall(_ id: String) throws {
        let store = harness.daemon.store
        let lead = try XCTUnwrap(store.record(id: id))
        let now = harness.clock.nowMillis()
        try harness.daemon.db.transaction {
            _ = try store.apply(.dispatch(callId: "c1", operatorId: operatorA), to: lead, actor: "system", now: now)
        }
    }

    func testUpdatesFieldsKeepsRankAndUpdatedAtInStepAndPublishesLeadUpdated() throws {
        let id = newLeadId()
        harness.clock.advance(byMillis: 5_000)
        let lead = harness.ok("queue.update_lead", update(id, ["name": "Vali", "priority": "urgent", "tags": ["a"],
                                                               "email": "V@X.UZ", "notes": "n"]))["lead"]
        XCTAssertEqual(lead?["name"], "Vali")
        XCTAssertEqual(lead?["priority"], "urgent")
        XCTAssertEqual(lead?["email"], "v@x.uz")
        XCTAssertEqual(lead?["tags"], ["a"])
        XCTAssertEqual(lead?["updatedAt"], .string(Timestamp.iso8601(millis: harness.clock.now)))
        XCTAssertNotEqual(lead?["createdAt"], lead?["updatedAt"])
        XCTAssertEqual(try harness.count("SELECT priority_rank FROM leads WHERE id = ?", [.text(id)]), 0)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(id)]), 2)
        harness.drain(until: { self.harness.eventTypes().contains("event.lead_updated") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.lead_updated" })
        XCTAssertEqual(event.body["lead"]?["priority"], "urgent")
        XCTAssertFalse(harness.eventTypes().contains("event.lead_status_changed"))
    }

    func testNothingChangedWritesNothing() throws {
        let id = newLeadId()
        let reply = harness.ok("queue.update_lead", update(id, ["priority": "medium", "status": "pending"]))
        XCTAssertEqual(reply["lead"]?["id"]?.string, id)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(id)]), 1)
    }

    func testStatusChangeGoesThroughTheStateMachineAndPublishesStatusChanged() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let id = newLeadId()
        let lead = harness.ok("queue.update_lead", update(id, ["status": "failed"]))["lead"]
        XCTAssertEqual(lead?["status"], "failed")
        XCTAssertEqual(recorder.left, [id])
        harness.drain(until: { self.harness.eventTypes().contains("event.lead_status_changed") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.lead_status_changed" })
        XCTAssertEqual(event.body["from"], "pending")
        XCTAssertEqual(event.body["to"], "failed")
        XCTAssertEqual(event.body["actorId"]?.string, admin)
        let row = try harness.query("SELECT from_status, to_status, actor FROM lead_events WHERE lead_id = ? ORDER BY id DESC",
                                    [.text(id)]).first
        XCTAssertEqual(row?.string(at: 0), "pending")
        XCTAssertEqual(row?.string(at: 1), "failed")
        _ = harness.ok("queue.update_lead", update(id, ["status": "pending"]))
        XCTAssertEqual(recorder.became.last?.id, id)
    }

    func testInvalidStatusesAreRefused() throws {
        let id = newLeadId()
        let unknown = harness.fails("queue.update_lead", update(id, ["status": "contacted"]), status: 400,
                                    code: "validation_failed")
        XCTAssertTrue(unknown?.message.contains("pending, claimed, calling, answered, transferred, failed") ?? false)
        let notSettable = harness.fails("queue.update_lead", update(id, ["status": "claimed"]), status: 409,
                                        code: "invalid_status_transition")
        XCTAssertTrue(notSettable?.message.contains("current status: pending") ?? false, "\(String(describing: notSettable))")
        XCTAssertTrue(notSettable?.message.contains("allowed: pending, failed, transferred") ?? false)
        try startCall(id)
        let inCall = harness.fails("queue.update_lead", update(id, ["status": "failed"]), status: 409,
                                   code: "invalid_status_transition")
        XCTAssertTrue(inCall?.message.contains("current status: calling") ?? false)
        XCTAssertTrue(inCall?.message.contains("no status can be set now") ?? false)
    }

    func testOperatorsMayOnlyEditTheirOwnLeadsAndNotPriorityOrStatus() throws {
        let id = newLeadId()
        let denied = "Access denied. You can only update leads assigned to you."
        harness.fails("queue.update_lead", update(id, ["notes": "x"], actor: operatorA, role: "operator"),
                      status: 403, code: "access_denied", error: denied)
        _ = harness.ok("queue.claim_lead", ["actorId": .string(operatorA), "leadId": .string(id)])
        let lead = harness.ok("queue.update_lead", update(id, ["notes": "spoke", "priority": "medium"],
                                                          actor: operatorA, role: "salesperson"))["lead"]
        XCTAssertEqual(lead?["notes"], "spoke")
        harness.fails("queue.update_lead", update(id, ["priority": "urgent"], actor: operatorA, role: "operator"),
                      status: 403, error: denied)
        harness.fails("queue.update_lead", update(id, ["status": "failed"], actor: operatorA, role: "operator"),
                      status: 403, error: denied)
        harness.fails("queue.update_lead", update(id, ["notes": "x"], actor: QueueDaemonHarness.operatorB, role: "operator"),
                      status: 403, error: denied)
    }

    func testNotFoundDeletedDuplicateAndBadFieldsAreRefused() {
        let id = newLeadId()
        _ = newLeadId("+998907777777")
        harness.fails("queue.update_lead", update("0123456789abcdef01234567", ["name": "x"]), status: 404,
                      code: "lead_not_found", error: "Lead not found")
        harness.fails("queue.update_lead", update("nope", ["name": "x"]), status: 400)
        harness.fails("queue.update_lead", update(id, ["phone": "+998907777777"]), status: 409, code: "duplicate_phone")
        harness.fails("queue.update_lead", update(id, ["phone": "12"]), status: 400, code: "validation_failed")
        harness.fails("queue.update_lead", update(id, ["name": .string(String(repeating: "x", count: 101))]), status: 400)
        harness.fails("queue.update_lead", update(id, ["priority": "top"]), status: 400)
        harness.fails("queue.update_lead", update(id, ["actorRole": "guest"]), status: 400)
        harness.fails("queue.update_lead", update(id, ["actorRole": .null, "name": "x"]), status: 400,
                      code: "validation_failed")
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(id)])
        harness.fails("queue.update_lead", update(id, ["name": "x"]), status: 404, error: "Lead not found")
        let moved = harness.ok("queue.update_lead", update(newLeadId("+998905555555"), ["phone": "+998906666666"]))
        XCTAssertEqual(moved["lead"]?["phone"], "+998906666666")
    }

    func testDeleteIsSoftAndRefusedTwiceOrDuringACall() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let id = newLeadId()
        XCTAssertEqual(harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(id)]), JSONObject())
        XCTAssertEqual(try harness.count("SELECT is_active FROM leads WHERE id = ?", [.text(id)]), 0)
        XCTAssertEqual(try harness.query("SELECT reason FROM lead_events WHERE lead_id = ? ORDER BY id DESC", [.text(id)])
                        .first?.string(at: 0), "deleted")
        XCTAssertEqual(recorder.left, [id])
        harness.fails("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(id)], status: 404,
                      error: "Lead not found")
        harness.fails("queue.delete_lead", ["actorId": .string(admin), "leadId": "0123456789abcdef01234567"], status: 404)
        harness.fails("queue.delete_lead", ["actorId": .string(admin)], status: 400)
        let busy = newLeadId("+998908888888")
        try startCall(busy)
        harness.fails("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(busy)], status: 409,
                      code: "call_in_progress", error: "Lead has a call in progress")
        harness.drain(until: { self.harness.eventTypes().contains("event.lead_deleted") })
        XCTAssertTrue(harness.eventTypes().contains("event.lead_deleted"))
    }

    func testDeletingAClaimedLeadDropsTheClaim() throws {
        let id = newLeadId()
        _ = harness.ok("queue.claim_lead", ["actorId": .string(operatorA), "leadId": .string(id)])
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(id)])
        let row = try XCTUnwrap(harness.query("SELECT status, assigned_to, is_active FROM leads WHERE id = ?", [.text(id)]).first)
        XCTAssertEqual(row.string(at: 0), "pending")
        XCTAssertTrue(row[1].isNull)
        XCTAssertEqual(row.int(at: 2), 0)
    }
}
