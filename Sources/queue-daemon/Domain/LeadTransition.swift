/// The result of `LeadStateMachine.apply`: the new status, the column changes to write, and the
/// reason for the `lead_events` row — or a `LeadTransitionError` with a code and an HTTP-ready message.

import Shared

struct LeadTransition: Equatable {
    let leadId: LeadID
    let from: LeadStatus
    let to: LeadStatus
    /// New `call_attempts`; nil = unchanged.
    var attempts: Int? = nil
    var nextCallTime: FieldUpdate<Int64> = .unchanged
    var lastCallAttempt: FieldUpdate<Int64> = .unchanged
    var assignedTo: FieldUpdate<OperatorID> = .unchanged
    var claimedAt: FieldUpdate<Int64> = .unchanged
    /// New `is_active`; nil = unchanged.
    var isActive: Bool? = nil
    /// Why, for `lead_events.reason` and the `event.lead_status_changed` payload.
    var reason: String

    init(leadId: LeadID, from: LeadStatus, to: LeadStatus, reason: String) {
        self.leadId = leadId
        self.from = from
        self.to = to
        self.reason = reason
    }

    var changesStatus: Bool { from != to }

    /// False only for pure notifications (`callRinging`), which need no row and no write.
    var changesAnything: Bool {
        changesStatus || attempts != nil || isActive != nil || nextCallTime != .unchanged
            || lastCallAttempt != .unchanged || assignedTo != .unchanged || claimedAt != .unchanged
    }
}

struct LeadTransitionError: Error, Equatable, CustomStringConvertible {
    enum Code: String {
        /// The event is not allowed in the lead's current status.
        case invalidTransition = "invalid_transition"
        /// The lead is soft-deleted.
        case leadInactive = "lead_inactive"
        /// The lead is claimed by / assigned to a different operator.
        case assignedToOther = "lead_assigned_to_other"
        /// An operator (not an admin) tried to call a lead without claiming it first.
        case notClaimed = "lead_not_claimed"
        /// An admin asked for a status only the system sets (claimed, calling, answered).
        case statusNotSettable = "status_not_settable"
    }

    let code: Code
    let from: LeadStatus
    let event: LeadEvent.Kind
    /// Human text suitable for the HTTP `error` field (original strings where they existed).
    let message: String

    var description: String { "\(code.rawValue): \(message) (status \(from.rawValue), event \(event.rawValue))" }
}
