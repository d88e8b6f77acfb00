/// Stuck-lead recovery while running: the dialer restarting after ending its calls as failed
/// (no events reach the queue), the periodic sweep catching an outcome whose event was lost,
/// `reset_stuck_leads` on demand with its reply and `event.stuck_leads_reset`, and an expired
/// claim returning the lead to dispatch.

import XCTest
import Shared
@testable import queue_daemon

final class RecoveryRuntimeTests: XCTestCase {
    func testDialerRestartEndingCallsAsFailedIsPickedUpOnReconnect() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "2", "IBRAT_BACKOFF_FAILED": "300"])
        try h.addOperator()
        try h.addOperator()
        let a = h.lead(.urgent)
        let b = h.lead(.urgent)
        h.waitForStarts(2)
        h.dialer.stop()
        h.wait("disconnect") { !h.dispatcher.dialer.isConnected }
        for call in h.dialer.startedCallIds { h.dialer.report(call, .failed, publish: false) }
        let c = h.lead(.urgent)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 2, "no dispatch while the dialer is down")
        try h.dialer.listen()
        h.wait("recovery", timeout: 5) { h.attempts(a) == 1 && h.attempts(b) == 1 }
        XCTAssertEqual(h.status(a), "pending")
        XCTAssertEqual(h.status(b), "pending")
        h.waitForStarts(3)
        XCTAssertEqual(h.dialer.startedLeadIds[2], c, "freed operators take the next due lead")
    }

    func testAnsweredCallCutByADialerRestartIsRetriedOnReconnect() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_FAILED": "300"])
        let (lead, call) = try h.transferredLead()
        h.dialer.stop()
        h.wait("disconnect") { !h.dispatcher.dialer.isConnected }
        // What a restarted dialer does before READY: ends the live call `failed`, reason restart, unreported.
        h.dialer.report(call, .failed, publish: false)
        _ = try h.dialer.db.run("UPDATE calls SET end_reason = 'restart', error_code = 'dialer_restart' WHERE id = ?",
                                [.text(call)])
        try h.dialer.listen()
        h.wait("recovery", timeout: 5) { h.status(lead) == "pending" }
        XCTAssertEqual(h.attempts(lead), 1, "the cut conversation counts as an attempt")
        XCTAssertTrue(h.lastReason(lead).contains("cut after the answer"), h.lastReason(lead))
    }

    func testPeriodicSweepSettlesACallWhoseEventWasLost() throws {
        let h = try DispatchHarness(environment: ["IBRAT_STUCK_SWEEP": "1"])
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let call = h.dialer.startedCallIds[0]
        h.dialer.report(call, .noAnswer, publish: false)
        h.wait("sweep", timeout: 3) { h.attempts(lead) == 1 }
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertNil(h.dispatcher.liveCalls.call(id: call), "line freed")
        XCTAssertEqual(h.dispatcher.operators.freeCount, 1, "operator freed")
    }

    func testResetStuckLeadsOnDemandRepliesWithTheCountAndPublishes() throws {
        let h = try DispatchHarness()
        _ = h.base.defaultClient
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let call = h.dialer.startedCallIds[0]
        h.dialer.hiddenFromStatus = [call]
        let reply = h.ok("queue.control", ["action": "reset_stuck_leads", "actorId": .string(QueueDaemonHarness.admin)])
        XCTAssertEqual(reply["resetCount"]?.int, 1)
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertEqual(h.attempts(lead), 0, "a call that vanished counts no attempt")
        h.wait("event") { !h.events("event.stuck_leads_reset").isEmpty }
        XCTAssertEqual(h.events("event.stuck_leads_reset").first?["count"]?.int, 1)
        let again = h.ok("queue.control", ["action": "reset_stuck_leads"])
        XCTAssertEqual(again["resetCount"]?.int, 0, "nothing left to reset")
    }

    func testConcurrentRecoveryRequestsAreSerialised() throws {
        let h = try DispatchHarness()
        let before = h.dispatcher.recovery.runCount
        var answers: [Int] = []
        for _ in 0..<3 {
            h.dispatcher.recovery.run(reason: "test") { if case .success(let n) = $0 { answers.append(n) } }
        }
        h.wait("answers") { answers.count == 3 }
        XCTAssertEqual(h.dispatcher.recovery.runCount - before, 2, "one run, then one more for the requests during it")
    }

    func testExpiredClaimReturnsTheLeadToDispatch() throws {
        let h = try DispatchHarness(environment: ["IBRAT_CLAIM_TIMEOUT": "60"])
        let op = try h.addOperator(available: false)
        let lead = h.lead(.high)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(lead)])
        try h.setOperator(op, available: true)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 0, "claimed: never auto-dialled")
        h.clock.advance(byMillis: 60_000)
        h.daemon.claimExpiry.expireDueClaims()
        h.waitForStarts(1)
        XCTAssertEqual(h.dialer.startedLeadIds, [lead])
    }
}

/// Recovery against calls that start or end while it waits for the dialer's live list.
final class RecoveryRaceTests: XCTestCase {
    func testCallPlacedWhileTheLiveListIsOnItsWayIsNotReset() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        h.dialer.statusDelay = 0.2
        var done = false
        h.dispatcher.recovery.run(reason: "test") { _ in done = true }
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.wait("recovery") { done }
        h.settle()
        XCTAssertEqual(h.status(lead), "calling", "the list was taken before the call existed")
        XCTAssertEqual(h.dispatcher.liveCalls.call(forLead: lead)?.callId, h.dialer.startedCallIds[0])
        XCTAssertEqual(h.dispatcher.operators.freeCount, 0)
        XCTAssertEqual(h.dialer.starts.count, 1, "never dialled twice")
    }

    func testCallEndedWhileTheLiveListIsOnItsWayIsNotAdoptedAgain() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.dialer.statusDelay = 0.2
        var done = false
        let asked = h.dialer.statusRequests
        h.dispatcher.recovery.run(reason: "test") { _ in done = true }
        h.wait("live list asked") { h.dialer.statusRequests > asked }
        h.end(h.dialer.startedCallIds[0], .busy)
        h.wait("recovery") { done }
        XCTAssertEqual(h.attempts(lead), 1)
        XCTAssertEqual(h.dispatcher.liveCalls.count, 0, "an ended call does not come back as a phantom line")
        XCTAssertEqual(h.dispatcher.operators.freeCount, 1)
    }
}
