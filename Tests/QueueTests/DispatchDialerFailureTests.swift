/// What dispatch does when the dialer misbehaves: a refused `start_call` is one failed attempt
/// with backoff (never a hot loop); a dialer that dies or stays silent after receiving
/// `start_call` leaves the lead `calling` until recovery can tell, then it goes back to `pending`
/// without an attempt counted; a lead the dialer already has a live call for is not dialled again.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchDialerFailureTests: XCTestCase {
    func testRefusedStartCallCountsOneFailedAttemptWithBackoffAndNoHotLoop() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_FAILED": "300"])
        h.dialer.mode = .refuse(.invalid(code: .validationFailed, error: "Validation failed", message: "to is not a phone"))
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.wait("failed attempt") { h.attempts(lead) == 1 }
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 1, "the lead waits for its backoff")
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertEqual(h.row(lead)?.optionalInt("next_call_time"), h.clock.nowMillis() + 300_000)
        XCTAssertEqual(h.dispatcher.operators.freeCount, 1, "operator released")
        XCTAssertEqual(h.dispatcher.liveCalls.count, 0)
        let reason = try h.base.query("SELECT reason FROM lead_events WHERE lead_id = ? ORDER BY id DESC LIMIT 1",
                                      [.text(lead)]).first?.string(at: 0) ?? ""
        XCTAssertTrue(reason.contains("dialer refused the call"), reason)
    }

    func testDialerDyingWithTheRequestCountsNoAttemptAndRedialsAfterReconnect() throws {
        let h = try DispatchHarness()
        h.dialer.mode = .crash
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.wait("connection loss") { !h.dispatcher.dialer.isConnected }
        h.settle()
        XCTAssertEqual(h.status(lead), "calling", "unknown whether the call exists: left alone")
        XCTAssertEqual(h.attempts(lead), 0)
        XCTAssertFalse(h.dispatcher.dialerSynced)
        h.dialer.mode = .accept
        try h.dialer.listen()
        h.waitForStarts(2, timeout: 5)
        XCTAssertEqual(h.dialer.startedLeadIds, [lead, lead], "re-dialled once the dialer was back")
        XCTAssertEqual(h.attempts(lead), 0, "no attempt counted for a call that was never placed")
        let steps = try h.base.query("SELECT to_status, reason FROM lead_events WHERE lead_id = ? ORDER BY id", [.text(lead)])
        XCTAssertEqual(steps.map { $0.string(at: 0) }, ["pending", "calling", "pending", "calling"])
        XCTAssertTrue(steps[2].string(at: 1).contains("no call was placed"), steps[2].string(at: 1))
    }

    func testSilentDialerIsResolvedByTheRecheck() throws {
        let h = try DispatchHarness(environment: ["IBRAT_IPC_TIMEOUT_MS": "100"])
        h.dispatcher.recheckDelay = 0.05
        h.dialer.mode = .silent
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.wait("unconfirmed call") { h.dispatcher.liveCalls.call(forLead: lead)?.state == .unconfirmed }
        h.dialer.mode = .accept
        h.waitForStarts(2, timeout: 3)
        XCTAssertEqual(h.attempts(lead), 0)
        XCTAssertEqual(h.status(lead), "calling")
        XCTAssertTrue(h.dispatcher.dialerSynced)
    }

    func testSilentDialerThatStoredTheCallKeepsTheLeadCalling() throws {
        let h = try DispatchHarness(environment: ["IBRAT_IPC_TIMEOUT_MS": "100"])
        h.dispatcher.recheckDelay = 0.05
        h.dialer.mode = .silent
        let op = try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let call = h.dialer.startedCallIds[0]
        try h.dialer.insertCall(id: call, leadId: lead, operatorId: op, status: .ringing)
        h.wait("unconfirmed call") { h.dispatcher.liveCalls.call(forLead: lead)?.state == .unconfirmed }
        h.wait("recheck") { h.dispatcher.liveCalls.call(forLead: lead)?.state == .confirmed && h.dispatcher.dialerSynced }
        XCTAssertEqual(h.status(lead), "calling", "the dialer has the call live")
        h.end(call, .busy)
        XCTAssertEqual(h.attempts(lead), 1)
    }

    func testLeadWithALiveCallInTheDialerIsAdoptedNotDialledTwice() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "3"])
        let op = try h.addOperator(available: false)
        let lead = h.lead(.urgent)
        let foreign = ObjectID.generate(nowMillis: 0)
        try h.dialer.insertCall(id: foreign, leadId: lead, operatorId: op, status: .ringing)
        h.dialer.mode = .refuse(.conflict(code: .callInProgress, error: "Call already in progress for this lead",
                                          message: "Lead already has call \(foreign)"))
        let other = try h.addOperator()
        h.waitForStarts(1)
        h.wait("adoption") { h.dispatcher.liveCalls.call(forLead: lead)?.callId == foreign }
        XCTAssertEqual(h.status(lead), "calling")
        XCTAssertEqual(h.attempts(lead), 0)
        XCTAssertEqual(h.dispatcher.operators.state(of: other)?.onCall, nil, "our reservation was released")
        h.dialer.mode = .accept
        h.end(foreign, .noAnswer)
        XCTAssertEqual(h.attempts(lead), 1, "the live call's outcome applies to the lead")
    }

    func testManualCallAnswers503WhileTheDialerIsDown() throws {
        let h = try DispatchHarness(startDialer: false, startQueue: false)
        try h.startQueue(dialerWait: 0.05)
        let op = try h.addOperator()
        let lead = h.lead(.medium)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(lead)])
        h.base.fails(DispatchRequest.manual, ["actorId": .string(op), "actorRole": "operator", "leadId": .string(lead)],
                     status: 503, code: "peer_unreachable")
        XCTAssertEqual(h.status(lead), "claimed", "nothing was written")
    }
}

enum DispatchRequest {
    static let manual = "queue.start_manual_call"
}
