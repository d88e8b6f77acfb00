/// `queue.start_manual_call`: an operator on a lead they claimed, an admin on a pending or claimed
/// lead (named operator, the holder, or the least-recently-busy free one), and every refusal with
/// its status and original error string. Manual calls use a line and reserve the operator.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchManualCallTests: XCTestCase {
    private let admin = QueueDaemonHarness.admin

    private func body(_ actor: String, _ role: String, _ lead: String, operatorId: String? = nil) -> JSONObject {
        var body: JSONObject = ["actorId": .string(actor), "actorRole": .string(role), "leadId": .string(lead)]
        if let operatorId { body["operatorId"] = .string(operatorId) }
        return body
    }

    func testOperatorCallsALeadTheyClaimed() throws {
        let h = try DispatchHarness()
        let op = try h.addOperator(available: false)
        let lead = h.lead(.medium)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(lead)])
        let reply = h.ok(DispatchRequest.manual, body(op, "operator", lead))
        XCTAssertEqual(reply["lead"]?["status"]?.string, "calling")
        XCTAssertEqual(reply["call"]?["status"]?.string, "initiated")
        XCTAssertEqual(h.dialer.starts.last?["mode"]?.string, "manual")
        XCTAssertEqual(h.dialer.starts.last?["operatorId"]?.string, op)
        XCTAssertEqual(h.dispatcher.liveCalls.call(forLead: lead)?.mode, .manual)
        let actor = try h.base.query("SELECT actor FROM lead_events WHERE lead_id = ? ORDER BY id DESC LIMIT 1", [.text(lead)])
        XCTAssertEqual(actor.first?.string(at: 0), op)
        let callId = reply["call"]?["id"]?.string ?? ""
        // The operator is on_call from the start (users list, dashboards, operator_state_changed).
        let state = try h.base.query("SELECT state, call_id FROM operator_states WHERE user_id = ?", [.text(op)])
        XCTAssertEqual(state.first?.string(at: 0), "on_call")
        XCTAssertEqual(state.first?.string(at: 1), callId)
        h.dialer.report(callId, .answered)
        // The operator called the lead themselves: it rests in `answered`, it is not "transferred".
        h.wait("answered") { h.status(lead) == "answered" }
        h.dialer.report(callId, .completed)
        h.wait("manual completion recorded") {
            (try? h.base.query("SELECT count(*) FROM lead_events WHERE lead_id = ? AND reason LIKE 'manual call % completed%'",
                               [.text(lead)]).first?.int(at: 0)) == 1
        }
        XCTAssertEqual(h.status(lead), "answered")
        // A stuck-lead sweep leaves the resting lead alone.
        XCTAssertEqual(try h.dispatcher.reader.leadsInCall().map(\.id), [])
    }

    func testOperatorRefusals() throws {
        let h = try DispatchHarness()
        let op = try h.addOperator(available: false)
        let other = try h.addOperator(available: false)
        let unclaimed = h.lead(.low)
        h.base.fails(DispatchRequest.manual, body(op, "operator", unclaimed), status: 409,
                     error: "Lead must be claimed before starting a call")
        h.ok("queue.claim_lead", ["actorId": .string(other), "leadId": .string(unclaimed)])
        h.base.fails(DispatchRequest.manual, body(op, "operator", unclaimed), status: 409,
                     error: "Lead is assigned to another operator")
        h.base.fails(DispatchRequest.manual, body(op, "operator", ObjectID.generate(nowMillis: 0)), status: 404,
                     error: "Lead not found")
        let mine = h.lead(.low)
        let second = h.lead(.low)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(mine)])
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(second)])
        h.ok(DispatchRequest.manual, body(op, "operator", mine))
        h.base.fails(DispatchRequest.manual, body(op, "operator", mine), status: 409,
                     error: "Call already in progress for this lead")
        h.base.fails(DispatchRequest.manual, body(op, "operator", second), status: 409,
                     error: "You already have a call in progress")
        h.base.fails(DispatchRequest.manual, ["actorId": .string(op), "actorRole": "operator"], status: 400,
                     code: "validation_failed")
        XCTAssertEqual(h.dialer.starts.count, 1)
    }

    func testAdminCallsAPendingLeadWithTheLeastRecentlyBusyOperator() throws {
        let h = try DispatchHarness()
        h.ok("queue.control", ["action": "pause_queue"])
        let lead = h.lead(.low)
        h.base.fails(DispatchRequest.manual, body(admin, "admin", lead), status: 409, error: "No available salesperson found")
        let op = try h.addOperator()
        let reply = h.ok(DispatchRequest.manual, body(admin, "admin", lead))
        XCTAssertEqual(reply["lead"]?["assignedTo"]?.string, op)
        XCTAssertEqual(h.dispatcher.operators.state(of: op)?.onCall, reply["call"]?["id"]?.string)
        let next = h.lead(.low)
        h.base.fails(DispatchRequest.manual, body(admin, "admin", next), status: 409, error: "No available salesperson found")
    }

    func testAdminNamesTheOperatorOrUsesTheClaimHolder() throws {
        let h = try DispatchHarness()
        h.ok("queue.control", ["action": "pause_queue"])
        let named = try h.addOperator()
        let holder = try h.addOperator()
        let absent = try h.addOperator(available: false)
        let pending = h.lead(.low)
        h.base.fails(DispatchRequest.manual, body(admin, "admin", pending, operatorId: absent), status: 409,
                     error: "Specified salesperson is not available")
        h.ok(DispatchRequest.manual, body(admin, "admin", pending, operatorId: named))
        XCTAssertEqual(h.dialer.starts.last?["operatorId"]?.string, named)
        let claimed = h.lead(.low)
        h.ok("queue.claim_lead", ["actorId": .string(holder), "leadId": .string(claimed)])
        h.ok(DispatchRequest.manual, body(admin, "admin", claimed))
        XCTAssertEqual(h.dialer.starts.last?["operatorId"]?.string, holder)
        let third = h.lead(.low)
        h.base.fails(DispatchRequest.manual, body(admin, "admin", third, operatorId: named), status: 409,
                     error: "Specified salesperson is not available")
    }

    func testManualCallUsesALineButIsNeverRefusedForPacing() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"])
        let a = try h.addOperator(available: false)
        try h.addOperator()
        let auto = h.lead(.urgent)
        h.waitForStarts(1)
        let lead = h.lead(.urgent)
        h.ok("queue.claim_lead", ["actorId": .string(a), "leadId": .string(lead)])
        h.ok(DispatchRequest.manual, body(a, "operator", lead))
        XCTAssertEqual(h.dispatcher.liveCalls.count, 2)
        h.lead(.urgent)
        h.end(h.dialer.startedCallIds[0], .busy)
        h.settle(0.1)
        XCTAssertEqual(h.status(auto), "pending")
        XCTAssertEqual(h.dialer.starts.count, 2, "the manual call still holds the only line")
    }

    func testRefusedManualCallReturnsTheLeadToPendingWithoutAnAttempt() throws {
        let h = try DispatchHarness()
        let op = try h.addOperator(available: false)
        let lead = h.lead(.medium)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(lead)])
        h.dialer.mode = .refuse(.internal(code: "internal", message: "Could not store call"))
        h.base.fails(DispatchRequest.manual, body(op, "operator", lead), status: 500, error: "Failed to start call")
        h.settle()
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertEqual(h.attempts(lead), 0)
        XCTAssertNil(h.dispatcher.liveCalls.call(forOperator: op))
    }
}
