/// How a status a person asks for (`queue.update_lead` `status`, bulk `update_status`) is checked:
/// an unknown value is a 400 listing the statuses that exist; a known one goes through the state
/// machine's admin-set event, and a refusal is a 409 naming the current status and the statuses
/// that could be set from it.

import Shared

enum StatusChangeRules {
    /// The statuses an admin may set by hand (the others are set by the system).
    static let settable: [LeadStatus] = [.pending, .failed, .transferred]

    /// Parses a requested status; 400 for a value outside the vocabulary.
    static func parse(_ raw: String, field: String = "status") throws -> LeadStatus {
        guard let status = LeadStatus(rawValue: LeadFieldValidator.trimmed(raw).lowercased()) else {
            let known = LeadStatus.allCases.map(\.rawValue).joined(separator: ", ")
            let allowed = settable.map(\.rawValue).joined(separator: ", ")
            throw QueueErrors.validation("\"\(field)\" must be a lead status (\(known)); "
                                         + "statuses that can be set: \(allowed). Got \"\(CommandBody.clip(raw))\"")
        }
        return status
    }

    /// The statuses that `lead` could be set to now.
    static func allowedTargets(for lead: LeadRecord, machine: LeadStateMachine, now: Int64) -> [LeadStatus] {
        settable.filter {
            if case .success = machine.apply(.adminSetStatus($0), to: lead.snapshot, now: now) { return true }
            return false
        }
    }

    /// The transition to `target`, or the 409/404 answer when the state machine refuses it.
    static func transition(to target: LeadStatus, lead: LeadRecord, machine: LeadStateMachine,
                           now: Int64) throws -> LeadTransition {
        switch machine.apply(.adminSetStatus(target), to: lead.snapshot, now: now) {
        case .success(let transition):
            return transition
        case .failure(let refusal):
            throw answer(for: refusal, lead: lead, machine: machine, now: now)
        }
    }

    /// The error answer for a state-machine refusal on `lead`.
    static func answer(for refusal: LeadTransitionError, lead: LeadRecord, machine: LeadStateMachine,
                       now: Int64) -> IPCError {
        switch refusal.code {
        case .leadInactive:
            return QueueErrors.leadDeleted(lead.id)
        case .invalidTransition, .statusNotSettable, .assignedToOther, .notClaimed:
            return QueueErrors.invalidTransition(refusal.message, current: lead.status,
                                                 allowed: allowedTargets(for: lead, machine: machine, now: now))
        }
    }
}
