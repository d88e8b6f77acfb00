/// Progressive-pacing dispatch (DESIGN §5): given the queue state, decides which leads to dial
/// now and with which operator. A call is planned only while a line is free
/// (`activeCalls < maxConcurrentCalls`) **and** a free operator exists; each planned call
/// reserves its operator in the pool and removes its lead from the scheduler, so a lead can never
/// be dialled twice and no answered lead is left without an operator. When lines and operators
/// are free but no lead is due yet, it asks to be woken at the next due time (one timer, no
/// polling); waiting for lines or operators needs no timer, because their release is an event.
///
/// The daemon glue calls `plan` after every relevant event (lead imported/updated/re-queued, call
/// ended, operator changed, resume, settings changed, wake timer) and performs the actions: apply
/// `LeadEvent.dispatch` and write it; if that write is refused, `operators.release(callId:)` and
/// `scheduler.sync(lead)`; otherwise send `dialer.start_call`.

enum DispatchAction: Equatable {
    /// Dial `leadId`; `operatorId` is already reserved for `callId` in the pool (nil: predictive,
    /// the operator is picked when a person answers).
    case startCall(leadId: LeadID, operatorId: OperatorID?, callId: CallID)
    /// Nothing is due yet but lines and operators are free: plan again at this time (ms).
    case wakeAt(Int64)
}

/// The dialing rules as the planner asks them about the lead at the head of the queue.
protocol DialingGate: AnyObject {
    func decide(_ entry: SchedulerEntry, now: Int64) -> DialingDecision
}

struct DispatchPlanner {
    /// Mints the id of each planned call (an ObjectID in the daemon).
    let makeCallId: () -> CallID

    init(makeCallId: @escaping () -> CallID) {
        self.makeCallId = makeCallId
    }

    /// `activeCalls` counts every call in flight (automatic and manual): they all use a line.
    /// With a `gate`, the lead at the head is dialed only when the dialing rules say so: a held
    /// lead is re-dated in the scheduler to the hold's end (the wake timer then covers it), a
    /// blocked one is parked in it (never due, still counted) until the lead or the rules change.
    func plan(paused: Bool, activeCalls: Int, maxConcurrentCalls: Int,
              scheduler: LeadScheduler, operators: OperatorPool, now: Int64,
              gate: DialingGate? = nil) -> [DispatchAction] {
        guard !paused else { return [] }
        var actions: [DispatchAction] = []
        var freeLines = maxConcurrentCalls - activeCalls
        while freeLines > 0 {
            guard let operatorId = operators.pickLeastRecentlyBusy() else { break }
            guard let lead = nextDialable(scheduler: scheduler, now: now, gate: gate) else {
                if let wake = scheduler.nextDueTime(now: now) { actions.append(.wakeAt(wake)) }
                break
            }
            let callId = makeCallId()
            guard operators.reserve(operatorId, callId: callId, at: now) else { break }
            _ = scheduler.popNext(now: now)
            actions.append(.startCall(leadId: lead.id, operatorId: operatorId, callId: callId))
            freeLines -= 1
        }
        return actions
    }

    /// The scheduler's next lead that the gate lets through; held and blocked leads met on the
    /// way are re-dated or removed (each leaves the due set, so this ends).
    func nextDialable(scheduler: LeadScheduler, now: Int64, gate: DialingGate?) -> SchedulerEntry? {
        while let lead = scheduler.next(now: now) {
            guard let gate else { return lead }
            switch gate.decide(lead, now: now) {
            case .dial:
                return lead
            case .hold(let until, let reason):
                scheduler.upsert(lead.held(until: max(until, now + 1), hold: reason == .dailyCap ? .cap : .window))
            case .block:
                // Parked, not removed: never due until the lead changes, still counted (issue 17).
                scheduler.upsert(lead.parked())
            }
        }
        return nil
    }
}
