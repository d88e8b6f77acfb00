/// Predictive dispatch (issue 14): places the `calls` the pacing model asked for, in the
/// scheduler's order, without reserving operators (an answered call takes the operator free at
/// that moment). Like `plan`, it removes each lead from the scheduler before it is dialed, asks
/// to be woken at the next due time when nothing is due, and does nothing while paused. The
/// model has already bounded `calls` by the free lines and the dial level. The dialing rules'
/// `gate` (calling hours, do-not-call, caps) decides each lead exactly as in `plan`.

extension DispatchPlanner {
    func planPaced(paused: Bool, calls: Int, scheduler: LeadScheduler, now: Int64,
                   gate: DialingGate? = nil) -> [DispatchAction] {
        guard !paused else { return [] }
        var actions: [DispatchAction] = []
        var remaining = calls
        while remaining > 0 {
            guard let lead = nextDialable(scheduler: scheduler, now: now, gate: gate) else {
                if let wake = scheduler.nextDueTime(now: now) { actions.append(.wakeAt(wake)) }
                break
            }
            _ = scheduler.popNext(now: now)
            actions.append(.startCall(leadId: lead.id, operatorId: nil, callId: makeCallId()))
            remaining -= 1
        }
        return actions
    }
}
