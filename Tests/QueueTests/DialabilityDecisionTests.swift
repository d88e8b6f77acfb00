/// `DialabilityDecision` (issue 17), table tests: every reason alone, combinations in the order
/// dispatch checks them, `nextCallableAt`, and the verdict the planner's gate takes from it.

import XCTest
import Shared
@testable import queue_daemon

final class DialabilityDecisionTests: XCTestCase {
    let now: Int64 = 100 * 3_600_000
    let hour: Int64 = 3_600_000
    let rules = DialingRules(maxCallsPerNumberPerDay: 3)
    let maxAttempts = 3

    private func decide(_ facts: DialabilityFacts) -> Dialability {
        DialabilityDecision.decide(facts, now: now, rules: rules, maxAttempts: maxAttempts)
    }

    private func codes(_ facts: DialabilityFacts) -> [String] {
        decide(facts).reasons.map(\.code.rawValue)
    }

    private func lead(_ change: (inout LeadDialFacts) -> Void) -> DialabilityFacts {
        var facts = DialabilityFacts()
        change(&facts.lead)
        return facts
    }

    private func queue(_ change: (inout QueueDialFacts) -> Void) -> DialabilityFacts {
        var facts = DialabilityFacts()
        change(&facts.queue)
        return facts
    }

    private var capped: [Int64] { [now - 23 * hour, now - 2 * hour, now - hour] }

    private func callback(dueIn: Int64, free: Bool) -> CallbackFacts {
        CallbackFacts(operatorId: "op1", dueAt: now + dueIn, graceEndsAt: now + dueIn + 900_000, operatorFree: free)
    }

    func testEachReasonAlone() {
        let cases: [(DialabilityFacts, [String], UInt)] = [
            (DialabilityFacts(), [], #line),
            (queue { $0.paused = true }, ["paused"], #line),
            (queue { $0.dialerReady = false }, ["dialer_unavailable"], #line),
            (lead { $0.status = .transferred }, ["not_pending"], #line),
            (lead { $0.isActive = false }, ["not_pending"], #line),
            (lead { $0.status = .claimed; $0.assignedTo = "op1" }, ["claimed"], #line),
            (lead { $0.assignedTo = "op1" }, ["claimed"], #line),
            (lead { $0.doNotCall = true }, ["do_not_call"], #line),
            (lead { $0.callback = callback(dueIn: hour, free: true) }, ["callback_reserved"], #line),
            (lead { $0.callback = callback(dueIn: -1000, free: false) }, ["callback_reserved"], #line),
            (lead { $0.zoneKnown = false }, ["unknown_timezone"], #line),
            (lead { $0.nextCallTime = now + hour }, ["retry_wait"], #line),
            (lead { $0.window = .closed(opensAt: now + hour) }, ["outside_calling_hours"], #line),
            (lead { $0.recentCallTimes = capped }, ["daily_cap"], #line),
            (lead { $0.nextCallTime = now + hour; $0.nextCallTimeIsCapHold = true }, ["daily_cap"], #line),
            (lead { $0.status = .failed; $0.attempts = 3 }, ["not_pending", "max_attempts"], #line),
            (queue { $0.freeLines = 0 }, ["waiting_for_line"], #line),
            (queue { $0.operatorAvailable = false }, ["waiting_for_operator"], #line),
        ]
        for (facts, expected, line) in cases {
            XCTAssertEqual(codes(facts), expected, line: line)
            XCTAssertEqual(decide(facts).callable, expected.isEmpty, line: line)
        }
    }

    func testNothingHoldsWhenTheReasonDoesNotApply() {
        let cases: [(DialabilityFacts, UInt)] = [
            (lead { $0.nextCallTime = now }, #line),  // due exactly now
            (lead { $0.nextCallTime = now - hour }, #line),
            (lead { $0.recentCallTimes = [now - 25 * hour, now - 2 * hour, now - hour] }, #line),  // one fell out
            (lead { $0.callback = callback(dueIn: -1000, free: true) }, #line),  // due, its operator is free
            (lead { $0.callback = callback(dueIn: -hour, free: false) }, #line),  // past its grace: anyone's
            (lead { $0.callback = callback(dueIn: -1000, free: true); $0.zoneKnown = false }, #line),  // a person chose it
            (lead { $0.status = .pending; $0.attempts = 5 }, #line),  // gets the call that ends it
            (lead { $0.nextCallTime = now - hour; $0.nextCallTimeIsCapHold = true }, #line),  // hold over
        ]
        for (facts, line) in cases {
            XCTAssertEqual(codes(facts), [], line: line)
        }
    }

    func testCombinationsComeInDispatchOrder() {
        let everything = DialabilityFacts(
            lead: LeadDialFacts(nextCallTime: now + 2 * hour, window: .closed(opensAt: now + hour),
                                localTime: "Mon 22:15 in Asia/Tashkent", recentCallTimes: capped),
            queue: QueueDialFacts(paused: true, dialerReady: false, freeLines: 0, operatorAvailable: false))
        XCTAssertEqual(codes(everything), ["paused", "dialer_unavailable", "retry_wait", "outside_calling_hours",
                                           "daily_cap", "waiting_for_line", "waiting_for_operator"])
        var blocked = everything
        blocked.lead.doNotCall = true
        blocked.lead.zoneKnown = false
        XCTAssertEqual(codes(blocked), ["paused", "dialer_unavailable", "do_not_call", "unknown_timezone", "retry_wait",
                                        "daily_cap", "waiting_for_line", "waiting_for_operator"])
        let cases: [(DialabilityFacts, [String], UInt)] = [
            (lead { $0.doNotCall = true; $0.window = .closed(opensAt: now + hour) },
             ["do_not_call", "outside_calling_hours"], #line),
            (lead { $0.zoneKnown = false; $0.nextCallTime = now + hour }, ["unknown_timezone", "retry_wait"], #line),
            (lead { $0.nextCallTime = now + hour; $0.window = .closed(opensAt: now + 2 * hour) },
             ["retry_wait", "outside_calling_hours"], #line),
            (lead { $0.window = .closed(opensAt: now + hour); $0.recentCallTimes = capped },
             ["outside_calling_hours", "daily_cap"], #line),
            (lead { $0.callback = callback(dueIn: hour, free: false); $0.window = .closed(opensAt: now + hour) },
             ["callback_reserved", "outside_calling_hours"], #line),
            (lead { $0.callback = callback(dueIn: hour, free: true); $0.zoneKnown = false; $0.nextCallTime = now + hour },
             ["callback_reserved"], #line),
            (lead { $0.status = .failed; $0.attempts = 3; $0.doNotCall = true },
             ["not_pending", "do_not_call", "max_attempts"], #line),
            (DialabilityFacts(lead: LeadDialFacts(status: .failed, attempts: 1),
                              queue: QueueDialFacts(paused: true, freeLines: 0)), ["not_pending"], #line),
            (DialabilityFacts(lead: LeadDialFacts(status: .claimed, assignedTo: "op1", window: .closed(opensAt: nil)),
                              queue: QueueDialFacts(paused: true)), ["claimed"], #line),
            (DialabilityFacts(lead: LeadDialFacts(callback: callback(dueIn: -1000, free: true)),
                              queue: QueueDialFacts(freeLines: 0, operatorAvailable: false)), ["waiting_for_line"], #line),
        ]
        for (facts, expected, line) in cases {
            XCTAssertEqual(codes(facts), expected, line: line)
        }
    }

    func testDetailsOfEachReason() {
        let reasons = decide(DialabilityFacts(lead: LeadDialFacts(
            callback: callback(dueIn: hour, free: false), window: .closed(opensAt: now + 2 * hour),
            localTime: "Mon 06:00 in Asia/Tashkent", recentCallTimes: capped))).reasons
        XCTAssertEqual(reasons, [
            DialabilityReason(.callbackReserved, until: now + hour, detail: "op1"),
            DialabilityReason(.outsideCallingHours, until: now + 2 * hour, localTime: "Mon 06:00 in Asia/Tashkent"),
            DialabilityReason(.dailyCap, until: now + hour),
        ])
        XCTAssertEqual(decide(lead { $0.callback = callback(dueIn: -1000, free: false) }).reasons,
                       [DialabilityReason(.callbackReserved, until: now - 1000 + 900_000, detail: "op1")])
        XCTAssertEqual(decide(lead { $0.status = .calling }).reasons, [DialabilityReason(.notPending, detail: "calling")])
        XCTAssertEqual(decide(lead { $0.isActive = false }).reasons, [DialabilityReason(.notPending, detail: "deleted")])
        XCTAssertEqual(decide(lead { $0.status = .claimed; $0.assignedTo = "op9" }).reasons,
                       [DialabilityReason(.claimed, detail: "op9")])
    }

    func testNextCallableAtIsTheLatestWaitUnlessSomethingLasts() {
        let cases: [(DialabilityFacts, Int64?, UInt)] = [
            (DialabilityFacts(), nil, #line),
            (lead { $0.nextCallTime = now + hour }, now + hour, #line),
            (lead { $0.nextCallTime = now + hour; $0.window = .closed(opensAt: now + 3 * hour) }, now + 3 * hour, #line),
            (lead { $0.window = .closed(opensAt: now + hour); $0.recentCallTimes = [now - hour, now - hour, now - hour] },
             now + 23 * hour, #line),
            (lead { $0.window = .closed(opensAt: nil) }, now + DialingRules.noOpeningRecheckMillis, #line),
            (lead { $0.nextCallTime = now + hour; $0.doNotCall = true }, nil, #line),
            (lead { $0.nextCallTime = now + hour; $0.zoneKnown = false }, nil, #line),
            (queue { $0.paused = true }, nil, #line),
        ]
        for (facts, expected, line) in cases {
            XCTAssertEqual(decide(facts).nextCallableAt, expected, line: line)
        }
    }

    func testTheGateVerdict() {
        func verdict(_ facts: DialabilityFacts) -> DialingDecision {
            DialabilityDecision.dialingDecision(decide(facts), now: now)
        }
        let cases: [(DialabilityFacts, DialingDecision, UInt)] = [
            (DialabilityFacts(), .dial, #line),
            (queue { $0.freeLines = 0 }, .dial, #line),  // the planner's own loop counts lines and operators
            (lead { $0.doNotCall = true }, .block(.doNotCall), #line),
            (lead { $0.zoneKnown = false }, .block(.unknownTimezone), #line),
            (lead { $0.window = .closed(opensAt: now + hour) }, .hold(until: now + hour, reason: .outsideCallingWindow), #line),
            (lead { $0.recentCallTimes = capped }, .hold(until: now + hour, reason: .dailyCap), #line),
            (lead { $0.window = .closed(opensAt: now + hour); $0.recentCallTimes = [now - hour, now - hour, now - hour] },
             .hold(until: now + 23 * hour, reason: .outsideCallingWindow), #line),
        ]
        for (facts, expected, line) in cases {
            XCTAssertEqual(verdict(facts), expected, line: line)
        }
    }

    func testEveryReasonIsCoveredAndQueueWideOnesAreMarked() {
        XCTAssertEqual(DialabilityReason.Code.allCases.map(\.rawValue), [
            "paused", "dialer_unavailable", "not_pending", "claimed", "do_not_call", "callback_reserved",
            "unknown_timezone", "retry_wait", "outside_calling_hours", "daily_cap", "max_attempts",
            "waiting_for_line", "waiting_for_operator"])
        XCTAssertEqual(DialabilityReason.Code.allCases.filter(\.isQueueWide).map(\.rawValue),
                       ["paused", "dialer_unavailable", "waiting_for_line", "waiting_for_operator"])
        let facts = DialabilityFacts(lead: LeadDialFacts(window: .closed(opensAt: now + hour)),
                                     queue: QueueDialFacts(paused: true))
        XCTAssertEqual(decide(facts).firstReason?.code, .paused)
        XCTAssertEqual(decide(facts).firstLeadReason?.code, .outsideCallingHours)
    }
}
