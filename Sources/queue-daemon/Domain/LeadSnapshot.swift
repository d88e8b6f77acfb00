/// The queue's view of one `leads` row: the fields lead transitions read and write. The daemon
/// glue loads it from SQLite, passes it to `LeadStateMachine.apply`, writes the returned
/// `LeadTransition` and feeds `applying(_:)`'s result to the scheduler and claim tracker.

import Shared

/// A change to an optional column: leave it, set it, or set it to NULL.
enum FieldUpdate<Value: Equatable>: Equatable {
    case unchanged
    case set(Value)
    case cleared

    func applied(to current: Value?) -> Value? {
        switch self {
        case .unchanged: return current
        case .set(let value): return value
        case .cleared: return nil
        }
    }
}

struct LeadSnapshot: Equatable {
    var id: LeadID
    var status: LeadStatus = .pending
    var priority: LeadPriority = .medium
    var isActive = true
    /// `call_attempts`: unanswered calls so far.
    var attempts = 0
    /// `next_call_time` (ms): not dialled before this; nil = now.
    var nextCallTime: Int64?
    /// `last_call_attempt` (ms): when the last call was started.
    var lastCallAttempt: Int64?
    /// `assigned_to`: the claiming operator, the operator on the call, or the one it was transferred to.
    var assignedTo: OperatorID?
    /// `claimed_at` (ms): set only while `claimed`.
    var claimedAt: Int64?
    var createdAt: Int64
    /// `leads.timezone`: the lead's zones joined by `,`; "" when unknown (not dialled automatically).
    var timezones = ""
    /// `leads.do_not_call`: the number is on the do-not-call list; never dialed.
    var doNotCall = false
    /// `leads.callback_operator`: a booked call-back reserved for this operator (dispatched by the
    /// call-back book, not the scheduler, until the grace after its time has passed).
    var callbackOperator: OperatorID?
    /// `next_call_time` is a daily-cap hold (`leads.hold_reason`), not a retry back-off.
    var capHeld = false

    /// Auto-dial candidates: pending, active, not assigned to anyone and not on the do-not-call
    /// list. Claimed leads are never auto-dialled (they are not pending), and neither is a pending
    /// lead someone holds.
    var isDispatchable: Bool { isCallable && callbackOperator == nil }

    /// Pending, active, unassigned, not on the do-not-call list: may be dialed by the rules, by the
    /// scheduler or (when reserved) for its call-back operator.
    var isCallable: Bool { status == .pending && isActive && assignedTo == nil && !doNotCall }

    /// The lead after `transition` (which must have been computed from this snapshot).
    func applying(_ transition: LeadTransition) -> LeadSnapshot {
        var lead = self
        lead.capHeld = false  // a transition's write clears `hold_reason`
        lead.status = transition.to
        if let attempts = transition.attempts { lead.attempts = attempts }
        if let isActive = transition.isActive { lead.isActive = isActive }
        lead.nextCallTime = transition.nextCallTime.applied(to: nextCallTime)
        lead.lastCallAttempt = transition.lastCallAttempt.applied(to: lastCallAttempt)
        lead.assignedTo = transition.assignedTo.applied(to: assignedTo)
        lead.claimedAt = transition.claimedAt.applied(to: claimedAt)
        return lead
    }
}
