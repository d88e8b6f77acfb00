/// Every lead status × every event, written out as an explicit table (DESIGN §5). Columns are
/// pending, claimed, calling, answered, transferred, failed. `X` = refused with `invalid_transition`.

import XCTest
import Shared
@testable import queue_daemon

private enum Expect: Equatable {
    case to(LeadStatus)
    case err(LeadTransitionError.Code)
}

private let X = Expect.err(.invalidTransition)
private let N = Expect.err(.statusNotSettable)
private let P = Expect.to(.pending)
private let T = Expect.to(.transferred)
private let F = Expect.to(.failed)

private struct Row {
    let event: LeadEvent
    let attempts: Int
    let expect: [Expect]
    let line: UInt
    init(_ event: LeadEvent, attempts: Int = 0, _ expect: [Expect], line: UInt = #line) {
        self.event = event
        self.attempts = attempts
        self.expect = expect
        self.line = line
    }
}

private let columns: [LeadStatus] = [.pending, .claimed, .calling, .answered, .transferred, .failed]

private let table: [Row] = [
    //                                                            pending        claimed        calling            answered         transferred      failed
    Row(.claim(operatorId: "op2"),                                [.to(.claimed), X,             X,                 X,               X,               X]),
    Row(.claimExpired,                                            [X,             P,             X,                 X,               X,               X]),
    Row(.release(operatorId: "op1"),                              [X,             P,             X,                 X,               X,               X]),
    Row(.dispatch(callId: "c1", operatorId: "op2"),               [.to(.calling), X,             X,                 X,               X,               X]),
    Row(.manualCall(callId: "c1", operatorId: "op1", byAdmin: false),
                                                                  [.err(.notClaimed), .to(.calling), X,             X,               X,               X]),
    Row(.manualCall(callId: "c1", operatorId: "adm", byAdmin: true),
                                                                  [.to(.calling), .err(.assignedToOther), X,        X,               X,               X]),
    Row(.callRinging(callId: "c1"),                               [X,             X,             .to(.calling),     X,               X,               X]),
    Row(.callAnswered(callId: "c1"),                              [X,             X,             .to(.answered),    X,               X,               X]),
    Row(.callCompleted(callId: "c1"),                             [X,             X,             T,                 T,               X,               X]),
    Row(.manualCallCompleted(callId: "c1"),                       [X,             X,             .to(.answered),    .to(.answered),  X,               X]),
    // From `calling` too: the dialer died after the answer, before the queue heard of it.
    Row(.callCut(callId: "c1"),                                   [X,             X,             P,                 P,               P,               X]),
    Row(.callCut(callId: "c1"), attempts: 2,                      [X,             X,             F,                 F,               F,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .busy),          [X,             X,             P,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .noAnswer),      [X,             X,             P,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .failed),        [X,             X,             P,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .busy), attempts: 2,     [X,     X,             F,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .noAnswer), attempts: 2, [X,     X,             F,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .failed), attempts: 2,   [X,     X,             F,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .machine),       [X,             X,             P,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .machine), attempts: 2,  [X,     X,             F,                 X,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .abandoned),     [X,             X,             P,                 P,               X,               X]),
    Row(.callUnsuccessful(callId: "c1", outcome: .abandoned), attempts: 2, [X,    X,             P,                 P,               X,               X]),
    Row(.callConnected(callId: "c1", operatorId: "op2"),          [X,             X,             X,                 T,               X,               X]),
    Row(.dispatch(callId: "c1", operatorId: nil),                 [.to(.calling), X,             X,                 X,               X,               X]),
    Row(.stuckReset(finalCallStatus: .machine),                   [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .abandoned),                 [X,             X,             P,                 P,               X,               X]),
    Row(.callCanceled(callId: "c1"),                              [X,             X,             P,                 X,               X,               X]),
    Row(.stuckReset(finalCallStatus: nil),                        [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .initiated),                 [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .ringing),                   [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .answered),                  [X,             X,             T,                 T,               X,               X]),
    Row(.stuckReset(finalCallStatus: .completed),                 [X,             X,             T,                 T,               X,               X]),
    Row(.stuckReset(finalCallStatus: .busy),                      [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .noAnswer),                  [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .failed),                    [X,             X,             P,                 P,               X,               X]),
    Row(.stuckReset(finalCallStatus: .failed), attempts: 2,       [X,             X,             F,                 F,               X,               X]),
    Row(.stuckReset(finalCallStatus: .canceled),                  [X,             X,             P,                 P,               X,               X]),
    Row(.adminSetStatus(.pending),                                [P,             P,             X,                 X,               P,               P]),
    Row(.dispositionStatus(.failed),                              [F,             X,             X,                 F,               F,               F]),
    Row(.dispositionStatus(.pending),                             [P,             X,             X,                 P,               P,               P]),
    Row(.dispositionStatus(.transferred),                         [T,             X,             X,                 N,               N,               N]),
    Row(.adminSetStatus(.claimed),                                [N,             N,             N,                 N,               N,               N]),
    Row(.adminSetStatus(.calling),                                [N,             N,             N,                 N,               N,               N]),
    Row(.adminSetStatus(.answered),                               [N,             N,             N,                 N,               N,               N]),
    Row(.adminSetStatus(.transferred),                            [T,             T,             X,                 X,               X,               T]),
    Row(.adminSetStatus(.failed),                                 [F,             F,             X,                 X,               F,               X]),
    Row(.softDelete,                                              [P,             P,             .to(.calling),     .to(.answered),  T,               F]),
]

/// A typical lead in each status: claimed/calling/answered/transferred/failed leads are held by op1.
func sampleLead(_ status: LeadStatus, attempts: Int = 0, isActive: Bool = true) -> LeadSnapshot {
    LeadSnapshot(id: "lead1", status: status, priority: .high, isActive: isActive, attempts: attempts,
                 lastCallAttempt: status == .pending || status == .claimed ? nil : 900,
                 assignedTo: status == .pending ? nil : "op1",
                 claimedAt: status == .claimed ? 500 : nil, createdAt: 100)
}

final class LeadStateMachineTableTests: XCTestCase {
    let machine = LeadStateMachine()
    let now: Int64 = 1_000_000

    private func actual(_ event: LeadEvent, _ lead: LeadSnapshot) -> Expect {
        switch machine.apply(event, to: lead, now: now) {
        case .success(let t):
            XCTAssertEqual(t.from, lead.status)
            XCTAssertEqual(t.leadId, lead.id)
            XCTAssertFalse(t.reason.isEmpty)
            return .to(t.to)
        case .failure(let e):
            XCTAssertEqual(e.from, lead.status)
            XCTAssertEqual(e.event, event.kind)
            XCTAssertFalse(e.message.isEmpty)
            return .err(e.code)
        }
    }

    func testEveryStatusTimesEveryEventOnActiveLeads() {
        for row in table {
            XCTAssertEqual(row.expect.count, columns.count, "row width", line: row.line)
            for (status, expected) in zip(columns, row.expect) {
                let got = actual(row.event, sampleLead(status, attempts: row.attempts))
                XCTAssertEqual(got, expected, "\(row.event) on \(status)", line: row.line)
            }
        }
    }

    func testInactiveLeadsRefuseNewWorkButRecordCallOutcomes() {
        for row in table {
            for (status, expectedWhenActive) in zip(columns, row.expect) {
                let expected = row.event.requiresActiveLead ? Expect.err(.leadInactive) : expectedWhenActive
                let got = actual(row.event, sampleLead(status, attempts: row.attempts, isActive: false))
                XCTAssertEqual(got, expected, "\(row.event) on inactive \(status)", line: row.line)
            }
        }
        let guarded = Set(LeadEvent.Kind.allCases.filter { kind in
            table.contains { $0.event.kind == kind && $0.event.requiresActiveLead }
        })
        XCTAssertEqual(guarded, [.claim, .dispatch, .manualCall, .softDelete])
    }

    func testTableCoversEveryEventKindStatusAndParameterVariant() {
        XCTAssertEqual(Set(table.map { $0.event.kind }), Set(LeadEvent.Kind.allCases))
        XCTAssertEqual(columns, LeadStatus.allCases)
        var adminTargets = Set<LeadStatus>(), finals = Set<CallStatus>(), outcomes = Set<UnsuccessfulOutcome>()
        for row in table {
            switch row.event {
            case .adminSetStatus(let s): adminTargets.insert(s)
            case .stuckReset(let s?): finals.insert(s)
            case .callUnsuccessful(_, let o): outcomes.insert(o)
            default: break
            }
        }
        XCTAssertEqual(adminTargets, Set(LeadStatus.allCases))
        XCTAssertEqual(finals, Set(CallStatus.allCases))
        XCTAssertEqual(outcomes, Set(UnsuccessfulOutcome.allCases))
    }

    func testErrorCodeWireStrings() {
        XCTAssertEqual(LeadTransitionError.Code.invalidTransition.rawValue, "invalid_transition")
        XCTAssertEqual(LeadTransitionError.Code.leadInactive.rawValue, "lead_inactive")
        XCTAssertEqual(LeadTransitionError.Code.assignedToOther.rawValue, "lead_assigned_to_other")
        XCTAssertEqual(LeadTransitionError.Code.notClaimed.rawValue, "lead_not_claimed")
        XCTAssertEqual(LeadTransitionError.Code.statusNotSettable.rawValue, "status_not_settable")
    }
}
