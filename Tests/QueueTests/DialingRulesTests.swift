/// `DialingRules` (issue 12), table tests: do-not-call and unknown zones block, a closed window
/// holds until its opening (or a day when it never opens), the per-number cap holds until the
/// oldest call of the rolling 24 hours falls out; and the planner with a gate re-dates held
/// leads (their SLA clock starts at the opening) and parks blocked ones (never due, still counted).

import XCTest
import Shared
@testable import queue_daemon

final class DialingRulesTests: XCTestCase {
    let now: Int64 = 100 * 3_600_000
    let hour: Int64 = 3_600_000

    func testDecisionTable() {
        let rules = DialingRules()
        var closed = DialingFacts()
        closed.window = .closed(opensAt: now + 5 * hour)
        var never = DialingFacts()
        never.window = .closed(opensAt: nil)
        var dnc = DialingFacts()
        dnc.onDoNotCallList = true
        dnc.zoneKnown = false
        var unknown = DialingFacts()
        unknown.zoneKnown = false
        unknown.window = .closed(opensAt: nil)
        var capped = DialingFacts()
        capped.recentCallTimes = [now - 23 * hour, now - 2 * hour, now - hour]
        var underCap = DialingFacts()
        underCap.recentCallTimes = [now - 25 * hour, now - 2 * hour, now - hour]
        var cappedAndClosed = capped
        cappedAndClosed.window = .closed(opensAt: now + hour)
        let cases: [(DialingFacts, DialingDecision, UInt)] = [
            (DialingFacts(), .dial, #line),
            (dnc, .block(.doNotCall), #line),
            (unknown, .block(.unknownTimezone), #line),
            (closed, .hold(until: now + 5 * hour, reason: .outsideCallingWindow), #line),
            (never, .hold(until: now + DialingRules.noOpeningRecheckMillis, reason: .outsideCallingWindow), #line),
            (capped, .hold(until: now + hour, reason: .dailyCap), #line),
            (underCap, .dial, #line),
            (cappedAndClosed, .hold(until: now + hour, reason: .outsideCallingWindow), #line),
        ]
        for (facts, expected, line) in cases {
            XCTAssertEqual(rules.decide(facts, now: now), expected, line: line)
        }
    }

    func testCapReleaseTime() {
        let one = DialingRules(maxCallsPerNumberPerDay: 1)
        XCTAssertNil(one.capReleaseTime([], now: now))
        XCTAssertEqual(one.capReleaseTime([now - hour], now: now), now + 23 * hour)
        XCTAssertNil(one.capReleaseTime([now - 24 * hour], now: now))
        let three = DialingRules()
        XCTAssertEqual(three.capReleaseTime([now - hour, now - 10 * hour, now - 3 * hour, now - 20 * hour], now: now),
                       now + 14 * hour)  // the 2nd oldest of four must fall out
    }

    private final class FixedGate: DialingGate {
        var decisions: [LeadID: DialingDecision] = [:]
        var asked: [LeadID] = []
        func decide(_ entry: SchedulerEntry, now: Int64) -> DialingDecision {
            asked.append(entry.id)
            return decisions[entry.id] ?? .dial
        }
    }

    func testPlannerHoldsAndBlocksThroughTheGate() {
        let scheduler = LeadScheduler()
        for (index, id) in ["held", "blocked", "ok"].enumerated() {
            scheduler.upsert(SchedulerEntry(id: id, priority: .urgent, createdAt: now - 1000 + Int64(index)))
        }
        let operators = OperatorPool()
        operators.update(id: "op1", isActive: true, isAvailable: true)
        operators.update(id: "op2", isActive: true, isAvailable: true)
        let gate = FixedGate()
        gate.decisions = ["held": .hold(until: now + hour, reason: .outsideCallingWindow), "blocked": .block(.unknownTimezone)]
        var counter = 0
        let planner = DispatchPlanner { counter += 1; return "call\(counter)" }
        let actions = planner.plan(paused: false, activeCalls: 0, maxConcurrentCalls: 5, scheduler: scheduler,
                                   operators: operators, now: now, gate: gate)
        XCTAssertEqual(actions.count, 2)
        XCTAssertEqual(actions.first, .startCall(leadId: "ok", operatorId: actions.first.flatMap {
            if case .startCall(_, let op, _) = $0 { return op } else { return nil } } ?? "", callId: "call1"))
        XCTAssertEqual(actions.last, .wakeAt(now + hour))
        // A blocked lead is parked (issue 17: still counted), never due until it changes.
        XCTAssertEqual(scheduler.entry(id: "blocked")?.hold, .blocked)
        XCTAssertEqual(scheduler.entry(id: "blocked")?.dueAt, SchedulerHold.parkedDueAt)
        XCTAssertEqual(scheduler.entry(id: "held")?.dueAt, now + hour)
        // At the opening the held lead is dialed; its SLA clock started then, so it is no miss.
        gate.decisions = [:]
        let later = planner.plan(paused: false, activeCalls: 1, maxConcurrentCalls: 5, scheduler: scheduler,
                                 operators: operators, now: now + hour, gate: gate)
        XCTAssertEqual(later.count, 1)
        XCTAssertEqual(scheduler.slaMissCount, 0)
    }

    /// Predictive dispatch asks the same gate: it never dials a held or blocked lead.
    func testPredictivePlanHoldsAndBlocksThroughTheGate() {
        let scheduler = LeadScheduler()
        for (index, id) in ["held", "blocked", "ok"].enumerated() {
            scheduler.upsert(SchedulerEntry(id: id, priority: .urgent, createdAt: now - 1000 + Int64(index)))
        }
        let gate = FixedGate()
        gate.decisions = ["held": .hold(until: now + hour, reason: .outsideCallingWindow), "blocked": .block(.doNotCall)]
        var counter = 0
        let planner = DispatchPlanner { counter += 1; return "call\(counter)" }
        let actions = planner.planPaced(paused: false, calls: 3, scheduler: scheduler, now: now, gate: gate)
        XCTAssertEqual(actions, [.startCall(leadId: "ok", operatorId: nil, callId: "call1"), .wakeAt(now + hour)])
        // A blocked lead is parked (issue 17: still counted), never due until it changes.
        XCTAssertEqual(scheduler.entry(id: "blocked")?.hold, .blocked)
        XCTAssertEqual(scheduler.entry(id: "blocked")?.dueAt, SchedulerHold.parkedDueAt)
        XCTAssertEqual(scheduler.entry(id: "held")?.dueAt, now + hour)
    }
}

/// `DispatchRulesGate`: one Calendar computation per zone set per window edge, the cap from the
/// recent-call log, and daily-cap holds handed to the dispatcher.
final class DispatchRulesGateTests: XCTestCase {
    func testWindowIsComputedOncePerZoneSetUntilItsEdge() throws {
        let gate = DispatchRulesGate(hours: .default)
        let morning = CallingWindowTests.utc(2026, 1, 15, 10)
        for i in 0..<1000 {
            let entry = SchedulerEntry(id: "lead\(i)", priority: .medium, createdAt: 0,
                                       zones: i % 2 == 0 ? "UTC" : "Asia/Tashkent")
            let expected: DialingDecision = i % 2 == 0 ? .dial : .dial  // 10:00Z: open in both (Tashkent 15:00)
            XCTAssertEqual(gate.decide(entry, now: morning + Int64(i)), expected)
        }
        XCTAssertEqual(gate.windowComputations, 2)
        // Past Tashkent's closing (15:00Z) the cached answer is not used.
        let late = SchedulerEntry(id: "late", priority: .medium, createdAt: 0, zones: "Asia/Tashkent")
        XCTAssertEqual(gate.decide(late, now: CallingWindowTests.utc(2026, 1, 15, 16)),
                       .hold(until: CallingWindowTests.utc(2026, 1, 16, 4), reason: .outsideCallingWindow))
        XCTAssertEqual(gate.windowComputations, 3)
        XCTAssertEqual(gate.decide(SchedulerEntry(id: "x", priority: .low, createdAt: 0, zones: ""), now: morning),
                       .block(.unknownTimezone))
        XCTAssertEqual(gate.decide(SchedulerEntry(id: "y", priority: .low, createdAt: 0, zones: "Mars/Base"), now: morning),
                       .block(.unknownTimezone))
    }

    func testCapHoldsAreCollectedForTheDispatcher() {
        let gate = DispatchRulesGate(hours: try! CallingHours(text: "00:00-24:00"), rules: DialingRules(maxCallsPerNumberPerDay: 2))
        let now: Int64 = 500 * 3_600_000
        gate.recentCalls.record(leadId: "busy", at: now - 3_600_000)
        gate.recentCalls.record(leadId: "busy", at: now - 1_800_000)
        gate.recentCalls.record(leadId: "old", at: now - 25 * 3_600_000)
        XCTAssertEqual(gate.decide(SchedulerEntry(id: "busy", priority: .high, createdAt: 0, zones: "UTC"), now: now),
                       .hold(until: now + 23 * 3_600_000, reason: .dailyCap))
        XCTAssertEqual(gate.decide(SchedulerEntry(id: "old", priority: .high, createdAt: 0, zones: "UTC"), now: now), .dial)
        XCTAssertEqual(gate.takeCapHolds().map(\.leadId), ["busy"])
        XCTAssertTrue(gate.takeCapHolds().isEmpty)
        XCTAssertEqual(gate.recentCalls.times(for: "old", now: now), [])
    }
}
