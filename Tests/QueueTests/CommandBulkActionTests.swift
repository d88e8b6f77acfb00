/// `queue.bulk_action` over IPC: request validation (missing keys, unknown action, bad or too
/// many ids, bad data), each action's effect, skipped leads with reasons, one `lead_events` row
/// per changed lead, the events published and the dispatch hooks.

import XCTest
import Shared
@testable import queue_daemon

final class CommandBulkActionTests: QueueDaemonTestCase {
    private func bulk(_ action: JSON, _ ids: [String], _ data: JSONObject = [:]) -> JSONObject {
        ["actorId": .string(admin), "action": action, "leadIds": .array(ids.map(JSON.string)), "data": .object(data)]
    }

    private func leads(_ count: Int) -> [String] {
        (0..<count).map { harness.createLead(phone: "+99890\(1_000_000 + $0)")["id"]?.string ?? "?" }
    }

    private func events(_ id: String) throws -> Int64 {
        try harness.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(id)])
    }

    func testRequestValidation() {
        let ids = leads(1)
        harness.fails("queue.bulk_action", ["actorId": .string(admin), "leadIds": .array([])], status: 400,
                      error: "Invalid request: action and leadIds array required")
        harness.fails("queue.bulk_action", ["actorId": .string(admin), "action": "delete", "leadIds": "x"], status: 400,
                      error: "Invalid request: action and leadIds array required")
        let unknown = harness.fails("queue.bulk_action", bulk("archive", ids), status: 400, code: "invalid_action",
                                    error: "Invalid action specified")
        XCTAssertTrue(unknown?.message.contains("allowed: update_priority, update_status, add_tags, delete") ?? false)
        let bad = harness.fails("queue.bulk_action", bulk("delete", ids + ["bogus", "ABCDEF0123456789ABCDEF01"]),
                                status: 400, code: "validation_failed")
        XCTAssertTrue(bad?.message.contains("\"bogus\"") ?? false, "\(String(describing: bad))")
        XCTAssertTrue(bad?.message.contains("\"ABCDEF0123456789ABCDEF01\"") ?? false)
        harness.fails("queue.bulk_action", bulk("delete", []), status: 400, code: "validation_failed")
        let tooMany = (0...1000).map { String(format: "%024x", $0) }
        let limit = harness.fails("queue.bulk_action", bulk("delete", tooMany), status: 400)
        XCTAssertEqual(limit?.message, "\"leadIds\" must contain at most 1000 items", "the gateway's message")
        harness.fails("queue.bulk_action", bulk("update_priority", ids, ["priority": "High!"]), status: 400)
        harness.fails("queue.bulk_action", bulk("update_priority", ids), status: 400)
        harness.fails("queue.bulk_action", bulk("update_status", ids, ["status": "completed"]), status: 400)
        harness.fails("queue.bulk_action", bulk("add_tags", ids, ["tags": "vip"]), status: 400)
        harness.fails("queue.bulk_action", bulk("add_tags", ids, ["tags": []]), status: 400)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events"), 1)
    }

    func testUpdatePrioritySkipsMissingDeletedAndUnchangedLeads() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let ids = leads(4)
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(ids[3])])
        _ = harness.ok("queue.update_lead", ["actorId": .string(admin), "actorRole": "admin", "leadId": .string(ids[2]), "priority": "urgent"])
        let missing = "0123456789abcdef01234567"
        recorder.became.removeAll()
        let reply = harness.ok("queue.bulk_action", bulk("update_priority", ids + [missing, ids[0]], ["priority": "urgent"]))
        XCTAssertEqual(reply["modifiedCount"], .int(2))
        XCTAssertEqual(reply["leadIds"], .array([.string(ids[0]), .string(ids[1])]))
        let skipped = reply["skipped"]?.array ?? []
        XCTAssertEqual(skipped.compactMap { $0["leadId"]?.string }, [ids[2], ids[3], missing])
        XCTAssertEqual(skipped.compactMap { $0["reason"]?.string },
                       ["Priority is already urgent", "Lead is deleted", "Lead not found"])
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE priority = 'urgent' AND priority_rank = 0"), 3)
        XCTAssertEqual(try events(ids[0]), 2)
        XCTAssertEqual(try events(ids[1]), 2)
        XCTAssertEqual(Set(recorder.became.map(\.id)), [ids[0], ids[1]])
        harness.drain(until: { self.harness.eventTypes().contains("event.leads_bulk_updated") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.leads_bulk_updated" })
        XCTAssertEqual(event.body["modifiedCount"], .int(2))
    }

    func testUpdateStatusRunsEachLeadThroughTheStateMachine() throws {
        let ids = leads(3)
        let store = harness.daemon.store
        let lead = try XCTUnwrap(store.record(id: ids[2]))
        try harness.daemon.db.transaction {
            _ = try store.apply(.dispatch(callId: "c1", operatorId: QueueDaemonHarness.operatorA), to: lead,
                                actor: "system", now: harness.clock.now)
        }
        _ = harness.ok("queue.update_lead", ["actorId": .string(admin), "actorRole": "admin", "leadId": .string(ids[1]), "status": "failed"])
        let reply = harness.ok("queue.bulk_action", bulk("update_status", ids, ["status": "failed"]))
        XCTAssertEqual(reply["leadIds"], .array([.string(ids[0])]))
        XCTAssertEqual(reply["skipped"]?.array?.compactMap { $0["reason"]?.string },
                       ["Lead is already failed", "Lead has a call in progress"])
        let requeue = harness.ok("queue.bulk_action", bulk("update_status", ids, ["status": "pending"]))
        XCTAssertEqual(requeue["modifiedCount"], .int(2))
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE status = 'pending'"), 2)
        harness.drain(until: { self.harness.events.filter { $0.type == "event.lead_status_changed" }.count >= 3 })
        XCTAssertEqual(harness.events.filter { $0.type == "event.lead_status_changed" }.count, 4)
    }

    func testAddTagsIsASetUnionWithinTheLimit() throws {
        let ids = leads(3)
        _ = harness.ok("queue.update_lead", ["actorId": .string(admin), "actorRole": "admin", "leadId": .string(ids[0]), "tags": ["vip"]])
        _ = harness.ok("queue.update_lead", ["actorId": .string(admin), "actorRole": "admin", "leadId": .string(ids[2]),
                                             "tags": .array((0..<19).map { .string("t\($0)") })])
        let reply = harness.ok("queue.bulk_action", bulk("add_tags", ids, ["tags": ["vip", "hot"]]))
        XCTAssertEqual(reply["leadIds"], .array([.string(ids[0]), .string(ids[1])]))
        XCTAssertEqual(reply["skipped"]?.array?.first?["reason"], "A lead may have at most 20 tags")
        XCTAssertEqual(try harness.query("SELECT tags FROM leads WHERE id = ?", [.text(ids[0])]).first?.string(at: 0),
                       "[\"vip\",\"hot\"]")
        let again = harness.ok("queue.bulk_action", bulk("add_tags", [ids[1]], ["tags": ["hot"]]))
        XCTAssertEqual(again["skipped"]?.array?.first?["reason"], "Tags already present")
    }

    func testDeleteIsSoftSkipsCallsAndWritesOneEventPerLead() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let ids = leads(3)
        let store = harness.daemon.store
        let lead = try XCTUnwrap(store.record(id: ids[1]))
        try harness.daemon.db.transaction {
            _ = try store.apply(.dispatch(callId: "c1", operatorId: QueueDaemonHarness.operatorA), to: lead,
                                actor: "system", now: harness.clock.now)
        }
        let reply = harness.ok("queue.bulk_action", bulk("delete", ids + [ids[0]]))
        XCTAssertEqual(reply["leadIds"], .array([.string(ids[0]), .string(ids[2])]))
        XCTAssertEqual(reply["skipped"], .array([["leadId": .string(ids[1]), "reason": "Lead has a call in progress"]]))
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE is_active = 0"), 2)
        XCTAssertEqual(try events(ids[0]), 2)
        XCTAssertEqual(try events(ids[2]), 2)
        XCTAssertEqual(Set(recorder.left), [ids[0], ids[2]])
    }

    func testAThousandLeadsInOneRequest() throws {
        let now = harness.clock.now
        let store = harness.daemon.store
        var ids: [String] = []
        try harness.daemon.db.transaction {
            for n in 0..<1000 {
                let id = ObjectID.generate(nowMillis: now)
                _ = try store.insert(NewLead(contact: LeadContact(phone: "+99891\(1_000_000 + n)")), id: id, source: .manual, zone: .unknown,
                                     actor: admin, reason: "created", now: now)
                ids.append(id)
            }
        }
        let reply = harness.ok("queue.bulk_action", bulk("update_priority", ids, ["priority": "low"]))
        XCTAssertEqual(reply["modifiedCount"], .int(1000))
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE reason LIKE 'priority set%'"), 1000)
    }
}
