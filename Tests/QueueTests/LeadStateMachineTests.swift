/// Field-level checks of `LeadStateMachine`: what each transition writes (attempts, backoff,
/// holder, claim time), guard errors and their messages, and a full lifecycle through `applying`.

import XCTest
import Shared
@testable import queue_daemon

final class LeadStateMachineTests: XCTestCase {
    let machine = LeadStateMachine()
    let now: Int64 = 1_000_000

    private func transition(_ event: LeadEvent, _ lead: LeadSnapshot,
                            file: StaticString = #filePath, line: UInt = #line) -> LeadTransition? {
        switch machine.apply(event, to: lead, now: now) {
        case .success(let t): return t
        case .failure(let e): XCTFail("unexpected \(e)", file: file, line: line); return nil
        }
    }

    private func error(_ event: LeadEvent, _ lead: LeadSnapshot,
                       file: StaticString = #filePath, line: UInt = #line) -> LeadTransitionError? {
        switch machine.apply(event, to: lead, now: now) {
        case .success(let t): XCTFail("unexpected \(t)", file: file, line: line); return nil
        case .failure(let e): return e
        }
    }

    func testClaimRecordsOperatorAndTime() throws {
        let t = try XCTUnwrap(transition(.claim(operatorId: "op7"), sampleLead(.pending)))
        XCTAssertEqual(t.to, .claimed)
        XCTAssertEqual(t.assignedTo, .set("op7"))
        XCTAssertEqual(t.claimedAt, .set(now))
        XCTAssertNil(t.attempts)
        XCTAssertTrue(t.reason.contains("op7"))
    }

    func testClaimErrorsUseTheOriginalStrings() {
        XCTAssertEqual(error(.claim(operatorId: "op2"), sampleLead(.claimed))?.message, "Lead is not available for claiming")
        XCTAssertEqual(error(.claim(operatorId: "op2"), sampleLead(.pending, isActive: false))?.message, "Lead is not active")
        var held = sampleLead(.pending)
        held.assignedTo = "op1"
        let e = error(.claim(operatorId: "op2"), held)
        XCTAssertEqual(e?.code, .assignedToOther)
        XCTAssertEqual(e?.message, "Lead is already assigned to another operator")
    }

    func testReleaseAndExpiryDropTheClaim() throws {
        for event in [LeadEvent.release(operatorId: "op1"), .claimExpired] {
            let t = try XCTUnwrap(transition(event, sampleLead(.claimed)))
            XCTAssertEqual(t.to, .pending)
            XCTAssertEqual(t.assignedTo, .cleared)
            XCTAssertEqual(t.claimedAt, .cleared)
        }
        XCTAssertEqual(error(.release(operatorId: "op2"), sampleLead(.claimed))?.code, .assignedToOther)
    }

    func testDispatchReservesOperatorAndStampsAttemptTime() throws {
        var lead = sampleLead(.pending)
        lead.nextCallTime = now - 10
        let t = try XCTUnwrap(transition(.dispatch(callId: "c9", operatorId: "op3"), lead))
        XCTAssertEqual(t.to, .calling)
        XCTAssertEqual(t.assignedTo, .set("op3"))
        XCTAssertEqual(t.lastCallAttempt, .set(now))
        XCTAssertEqual(t.nextCallTime, .cleared)
        XCTAssertNil(t.attempts, "attempts count outcomes, not dials")
        XCTAssertTrue(t.reason.contains("c9"))
        lead.assignedTo = "op1"
        XCTAssertEqual(error(.dispatch(callId: "c9", operatorId: "op3"), lead)?.code, .assignedToOther)
    }

    func testManualCallRules() throws {
        let onClaimed = try XCTUnwrap(transition(.manualCall(callId: "c1", operatorId: "op1", byAdmin: false), sampleLead(.claimed)))
        XCTAssertEqual(onClaimed.to, .calling)
        XCTAssertEqual(onClaimed.claimedAt, .cleared)
        XCTAssertEqual(onClaimed.lastCallAttempt, .set(now))
        let byAdmin = try XCTUnwrap(transition(.manualCall(callId: "c1", operatorId: "adm", byAdmin: true), sampleLead(.pending)))
        XCTAssertEqual(byAdmin.assignedTo, .set("adm"))
        XCTAssertEqual(error(.manualCall(callId: "c1", operatorId: "op2", byAdmin: false), sampleLead(.claimed))?.message,
                       "Lead is assigned to another operator")
        XCTAssertEqual(error(.manualCall(callId: "c1", operatorId: "op1", byAdmin: false), sampleLead(.calling))?.message,
                       "Call already in progress for this lead")
        XCTAssertEqual(error(.manualCall(callId: "c1", operatorId: "op1", byAdmin: false), sampleLead(.pending))?.message,
                       "Lead must be claimed before starting a call")
    }

    func testRingingIsANotificationOnly() throws {
        let t = try XCTUnwrap(transition(.callRinging(callId: "c1"), sampleLead(.calling)))
        XCTAssertFalse(t.changesStatus)
        XCTAssertFalse(t.changesAnything)
        let answered = try XCTUnwrap(transition(.callAnswered(callId: "c1"), sampleLead(.calling)))
        XCTAssertTrue(answered.changesAnything)
    }

    func testUnsuccessfulBelowMaxGoesBackToPendingWithBackoff() throws {
        let expected: [(UnsuccessfulOutcome, Int64)] = [(.busy, 15 * 60_000), (.noAnswer, 30 * 60_000), (.failed, 5 * 60_000)]
        for (outcome, backoff) in expected {
            let t = try XCTUnwrap(transition(.callUnsuccessful(callId: "c1", outcome: outcome), sampleLead(.calling, attempts: 1)))
            XCTAssertEqual(t.to, .pending)
            XCTAssertEqual(t.attempts, 2)
            XCTAssertEqual(t.nextCallTime, .set(now + backoff), "\(outcome)")
            XCTAssertEqual(t.assignedTo, .cleared)
            XCTAssertTrue(t.reason.contains("attempt 2 of 3"), t.reason)
        }
    }

    func testUnsuccessfulAtMaxFailsAndKeepsTheLastOperator() throws {
        let t = try XCTUnwrap(transition(.callUnsuccessful(callId: "c1", outcome: .noAnswer), sampleLead(.calling, attempts: 2)))
        XCTAssertEqual(t.to, .failed)
        XCTAssertEqual(t.attempts, 3)
        XCTAssertEqual(t.nextCallTime, .cleared)
        XCTAssertEqual(t.assignedTo, .unchanged)
        let beyond = try XCTUnwrap(transition(.callUnsuccessful(callId: "c1", outcome: .busy), sampleLead(.calling, attempts: 7)))
        XCTAssertEqual(beyond.to, .failed)
        XCTAssertEqual(beyond.attempts, 8)
    }

    func testCustomPolicyIsUsed() throws {
        let strict = LeadStateMachine(retryPolicy: try RetryPolicy(maxAttempts: 1))
        guard case .success(let t) = strict.apply(.callUnsuccessful(callId: "c", outcome: .busy), to: sampleLead(.calling), now: now)
        else { return XCTFail("expected success") }
        XCTAssertEqual(t.to, .failed)
    }

    func testCanceledCountsNoAttemptButWaits() throws {
        let t = try XCTUnwrap(transition(.callCanceled(callId: "c1"), sampleLead(.calling, attempts: 1)))
        XCTAssertEqual(t.to, .pending)
        XCTAssertNil(t.attempts)
        XCTAssertEqual(t.nextCallTime, .set(now + RetryPolicy.defaultCanceledDelayMillis))
        XCTAssertEqual(t.assignedTo, .cleared)
    }

    func testStuckResetFields() throws {
        let none = try XCTUnwrap(transition(.stuckReset(finalCallStatus: nil), sampleLead(.answered, attempts: 1)))
        XCTAssertEqual(none.to, .pending)
        XCTAssertNil(none.attempts)
        XCTAssertEqual(none.nextCallTime, .cleared)
        XCTAssertEqual(none.assignedTo, .cleared)
        let busy = try XCTUnwrap(transition(.stuckReset(finalCallStatus: .busy), sampleLead(.calling, attempts: 0)))
        XCTAssertEqual(busy.attempts, 1)
        XCTAssertEqual(busy.nextCallTime, .set(now + RetryPolicy.defaultBusyBackoffMillis))
        let done = try XCTUnwrap(transition(.stuckReset(finalCallStatus: .completed), sampleLead(.answered)))
        XCTAssertEqual(done.to, .transferred)
        XCTAssertEqual(done.assignedTo, .unchanged)
    }

    func testAdminRequeueResetsAttemptsBackoffAndHolder() throws {
        var lead = sampleLead(.failed, attempts: 3)
        lead.nextCallTime = now + 99
        let t = try XCTUnwrap(transition(.adminSetStatus(.pending), lead))
        XCTAssertEqual(t.to, .pending)
        XCTAssertEqual(t.attempts, 0)
        XCTAssertEqual(t.nextCallTime, .cleared)
        XCTAssertEqual(t.assignedTo, .cleared)
        XCTAssertTrue(lead.applying(t).isDispatchable)
        XCTAssertEqual(error(.adminSetStatus(.pending), sampleLead(.calling))?.message, "Lead has a call in progress")
        XCTAssertEqual(error(.adminSetStatus(.calling), sampleLead(.pending))?.message, "Status 'calling' cannot be set by hand")
    }

    func testSoftDeleteKeepsStatusButDropsClaim() throws {
        let claimed = try XCTUnwrap(transition(.softDelete, sampleLead(.claimed)))
        XCTAssertEqual(claimed.to, .pending)
        XCTAssertEqual(claimed.isActive, false)
        XCTAssertEqual(claimed.assignedTo, .cleared)
        let calling = try XCTUnwrap(transition(.softDelete, sampleLead(.calling)))
        XCTAssertEqual(calling.to, .calling)
        XCTAssertEqual(calling.isActive, false)
        XCTAssertFalse(sampleLead(.pending).applying(claimed).isDispatchable)
    }

    func testFullLifecycleThroughApplying() throws {
        var lead = sampleLead(.pending)
        let steps: [LeadEvent] = [.claim(operatorId: "op5"), .manualCall(callId: "c1", operatorId: "op5", byAdmin: false),
                                  .callRinging(callId: "c1"), .callAnswered(callId: "c1"), .callCompleted(callId: "c1")]
        var statuses: [LeadStatus] = []
        for event in steps {
            lead = lead.applying(try XCTUnwrap(transition(event, lead)))
            statuses.append(lead.status)
        }
        XCTAssertEqual(statuses, [.claimed, .calling, .calling, .answered, .transferred])
        XCTAssertEqual(lead.assignedTo, "op5")
        XCTAssertNil(lead.claimedAt)
        XCTAssertEqual(lead.lastCallAttempt, now)
        XCTAssertEqual(lead.attempts, 0)
    }

    func testRetryLifecycleEndsFailedAfterThreeAttempts() throws {
        var lead = sampleLead(.pending)
        var statuses: [LeadStatus] = []
        for n in 1...3 {
            lead = lead.applying(try XCTUnwrap(transition(.dispatch(callId: "c\(n)", operatorId: "op1"), lead)))
            lead = lead.applying(try XCTUnwrap(transition(.callUnsuccessful(callId: "c\(n)", outcome: .noAnswer), lead)))
            statuses.append(lead.status)
        }
        XCTAssertEqual(statuses, [.pending, .pending, .failed])
        XCTAssertEqual(lead.attempts, 3)
        XCTAssertNil(lead.nextCallTime)
    }
}
