/// `DispatchPlanner`: pacing by lines and free operators, pause, no double dial, urgent first,
/// least-recently-busy operator, wake-up only when waiting for time, and an event-driven run
/// together with the state machine in which concurrency never exceeds the line limit.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchPlannerTests: XCTestCase {
    let now: Int64 = 5_000_000
    var counter = 0

    private func planner() -> DispatchPlanner {
        DispatchPlanner { [unowned self] in
            self.counter += 1
            return "call\(self.counter)"
        }
    }

    private func pool(_ ids: [OperatorID]) -> OperatorPool {
        let p = OperatorPool()
        ids.forEach { p.update(id: $0, isActive: true, isAvailable: true) }
        return p
    }

    private func scheduler(_ count: Int, priority: LeadPriority = .medium, nextCallTime: Int64? = nil) -> LeadScheduler {
        let s = LeadScheduler()
        for i in 0..<count {
            s.upsert(SchedulerEntry(id: "lead\(i)", priority: priority, createdAt: now - 1000 + Int64(i), nextCallTime: nextCallTime))
        }
        return s
    }

    private func calls(_ actions: [DispatchAction]) -> [DispatchAction] {
        actions.filter { if case .startCall = $0 { return true } else { return false } }
    }

    func testFreeLinesLimitCalls() {
        let s = scheduler(20), p = pool((0..<10).map { "op\($0)" })
        let actions = planner().plan(paused: false, activeCalls: 2, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now)
        XCTAssertEqual(actions.count, 3)
        XCTAssertEqual(calls(actions).count, 3)
        XCTAssertEqual(s.count, 17)
        XCTAssertEqual(p.onCallCount, 3)
        XCTAssertEqual(planner().plan(paused: false, activeCalls: 5, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now), [])
        XCTAssertEqual(planner().plan(paused: false, activeCalls: 7, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now), [],
                       "max lowered below the calls in flight")
    }

    func testFreeOperatorsLimitCalls() {
        let s = scheduler(20, nextCallTime: nil), p = pool(["a", "b"])
        p.update(id: "c", isActive: true, isAvailable: false)
        p.update(id: "d", isActive: false, isAvailable: true)
        let actions = planner().plan(paused: false, activeCalls: 0, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now)
        XCTAssertEqual(actions.count, 2)
        XCTAssertEqual(Set(actions.compactMap { if case .startCall(_, let op, _) = $0 { return op } else { return nil } }), ["a", "b"])
    }

    func testNoOperatorMeansNoCallAndNoWake() {
        let s = scheduler(3)
        s.upsert(SchedulerEntry(id: "later", priority: .urgent, createdAt: now, nextCallTime: now + 60_000))
        let p = pool([])
        XCTAssertEqual(planner().plan(paused: false, activeCalls: 0, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now), [])
        XCTAssertEqual(s.count, 4, "nothing taken from the queue")
    }

    func testPausedPlansNothingAndTouchesNothing() {
        let s = scheduler(3), p = pool(["a"])
        XCTAssertEqual(planner().plan(paused: true, activeCalls: 0, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now), [])
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(p.freeCount, 1)
        XCTAssertEqual(counter, 0)
    }

    func testNoLeadIsDialledTwice() {
        let s = scheduler(6), p = pool((0..<6).map { "op\($0)" })
        var leads: [LeadID] = [], ops: [OperatorID] = [], callIds: [CallID] = []
        for _ in 0..<4 {
            for case .startCall(let lead, let op, let call) in planner().plan(
                paused: false, activeCalls: 0, maxConcurrentCalls: 2, scheduler: s, operators: p, now: now) {
                leads.append(lead)
                ops.append(op ?? "-")
                callIds.append(call)
            }
        }
        XCTAssertEqual(leads.count, 6)
        XCTAssertEqual(Set(leads).count, 6)
        XCTAssertEqual(Set(ops).count, 6, "each call reserved a different operator")
        XCTAssertEqual(Set(callIds).count, 6)
        for (op, call) in zip(ops, callIds) { XCTAssertEqual(p.operatorOnCall(call), op) }
    }

    func testUrgentFirstWithLeastRecentlyBusyOperator() {
        let s = LeadScheduler()
        s.upsert(SchedulerEntry(id: "low", priority: .low, createdAt: now - 99_000))
        s.upsert(SchedulerEntry(id: "medium", priority: .medium, createdAt: now - 50_000))
        s.upsert(SchedulerEntry(id: "urgent", priority: .urgent, createdAt: now - 10))
        let p = OperatorPool()
        p.restore(OperatorState(id: "busy-recently", lastBusyAt: now - 1000))
        p.restore(OperatorState(id: "idle-longest", lastBusyAt: now - 900_000))
        let actions = planner().plan(paused: false, activeCalls: 0, maxConcurrentCalls: 1, scheduler: s, operators: p, now: now)
        XCTAssertEqual(actions, [.startCall(leadId: "urgent", operatorId: "idle-longest", callId: "call1")])
    }

    func testWakeAtWhenWaitingOnlyForTime() {
        let s = LeadScheduler()
        s.upsert(SchedulerEntry(id: "due", priority: .high, createdAt: now - 5))
        s.upsert(SchedulerEntry(id: "soon", priority: .low, createdAt: now - 5, nextCallTime: now + 30_000))
        s.upsert(SchedulerEntry(id: "later", priority: .urgent, createdAt: now - 5, nextCallTime: now + 90_000))
        let p = pool(["a", "b", "c"])
        let actions = planner().plan(paused: false, activeCalls: 0, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now)
        XCTAssertEqual(actions, [.startCall(leadId: "due", operatorId: "a", callId: "call1"), .wakeAt(now + 30_000)])
        let atWake = planner().plan(paused: false, activeCalls: 1, maxConcurrentCalls: 5, scheduler: s, operators: p, now: now + 30_000)
        XCTAssertEqual(atWake, [.startCall(leadId: "soon", operatorId: "b", callId: "call2"), .wakeAt(now + 90_000)])
        let empty = LeadScheduler()
        XCTAssertEqual(planner().plan(paused: false, activeCalls: 0, maxConcurrentCalls: 5, scheduler: empty, operators: p, now: now), [],
                       "nothing queued: no timer")
    }

    func testNoWakeWhenLinesAreTheBottleneck() {
        let s = scheduler(1)
        s.upsert(SchedulerEntry(id: "later", priority: .urgent, createdAt: now, nextCallTime: now + 60_000))
        let actions = planner().plan(paused: false, activeCalls: 4, maxConcurrentCalls: 5, scheduler: s, operators: pool(["a", "b"]), now: now)
        XCTAssertEqual(actions, [.startCall(leadId: "lead0", operatorId: "a", callId: "call1")])
    }

    /// Event-driven run: plan, apply dispatch, end calls one at a time (busy or answered), re-plan.
    func testEventDrivenRunNeverExceedsLinesAndFinishesEveryLead() throws {
        let machine = LeadStateMachine()
        let s = LeadScheduler(), p = pool(["a", "b", "c"])
        var leads: [LeadID: LeadSnapshot] = [:]
        for i in 0..<12 {
            let lead = LeadSnapshot(id: "l\(i)", priority: LeadPriority.allCases[i % 4], createdAt: now - Int64(i))
            leads[lead.id] = lead
            s.sync(lead)
        }
        var clock = now, inFlight: [(call: CallID, lead: LeadID)] = [], maxSeen = 0, rounds = 0
        while rounds < 500 {
            rounds += 1
            for action in planner().plan(paused: false, activeCalls: inFlight.count, maxConcurrentCalls: 2,
                                         scheduler: s, operators: p, now: clock) {
                switch action {
                case .startCall(let leadId, let op, let call):
                    let lead = try XCTUnwrap(leads[leadId])
                    guard case .success(let t) = machine.apply(.dispatch(callId: call, operatorId: op), to: lead, now: clock)
                    else { return XCTFail("dispatch refused for \(leadId)") }
                    leads[leadId] = lead.applying(t)
                    inFlight.append((call, leadId))
                case .wakeAt(let at):
                    XCTAssertGreaterThan(at, clock)
                    clock = at
                }
            }
            maxSeen = max(maxSeen, inFlight.count)
            guard !inFlight.isEmpty else { break }
            let (call, leadId) = inFlight.removeFirst()
            clock += 1000
            let event: LeadEvent = leadId.hasSuffix("1") ? .callUnsuccessful(callId: call, outcome: .busy) : .callCompleted(callId: call)
            let lead = try XCTUnwrap(leads[leadId])
            guard case .success(let t) = machine.apply(event, to: lead, now: clock) else { return XCTFail("outcome refused") }
            leads[leadId] = lead.applying(t)
            s.sync(leads[leadId] ?? lead)
            p.release(callId: call, at: clock)
        }
        XCTAssertEqual(maxSeen, 2)
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(p.onCallCount, 0)
        let finals = leads.values.map(\.status)
        XCTAssertEqual(finals.filter { $0 == .transferred }.count, 10)
        XCTAssertEqual(leads["l1"]?.status, .failed, "busy three times")
        XCTAssertEqual(leads["l11"]?.attempts, 3)
    }
}
