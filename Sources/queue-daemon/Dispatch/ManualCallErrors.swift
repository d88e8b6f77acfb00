/// The refusals of `queue.start_manual_call` as IPC errors (`{code, status, error, message}`),
/// with the original product's `error` strings (reference §1.2 #13 and #36). State conflicts are
/// 409 (DESIGN §6), a deleted lead and an unavailable named operator included (the request is
/// well formed; the state of the lead or operator refuses it).

import Shared

enum ManualCallErrors {
    static func callInProgress(_ leadId: LeadID) -> IPCError {
        .conflict(code: .callInProgress, error: "Call already in progress for this lead",
                  message: "Lead \(leadId) already has a live call")
    }

    static func operatorBusy(_ operatorId: String, actorIsOperator: Bool) -> IPCError {
        actorIsOperator
            ? .conflict(code: .operatorBusy, error: "You already have a call in progress",
                        message: "Finish your current call before starting another")
            : .conflict(code: .operatorBusy, error: "Specified salesperson is not available",
                        message: "Operator \(operatorId) already has a call in progress")
    }

    static func operatorNotAvailable(_ operatorId: String) -> IPCError {
        .conflict(code: .operatorNotAvailable, error: "Specified salesperson is not available",
                 message: "User \(operatorId) is not an active, available operator")
    }

    static let noOperator = IPCError.conflict(code: .noOperatorAvailable, error: "No available salesperson found",
                                              message: "Every operator is busy, unavailable or inactive")

    static func startFailed(_ detail: String) -> IPCError {
        .internal(code: .callStartFailed, error: "Failed to start call", message: detail)
    }

    /// A state-machine refusal of `manualCall`.
    static func refusal(_ error: LeadTransitionError, leadId: LeadID) -> IPCError {
        switch error.code {
        case .leadInactive:
            return QueueErrors.leadInactive(leadId)
        case .assignedToOther:
            return .conflict(code: .leadAssignedToOther, error: "Lead is assigned to another operator",
                             message: "Lead \(leadId) is claimed by another operator")
        case .notClaimed:
            return .conflict(code: .leadNotClaimed, error: "Lead must be claimed before starting a call",
                             message: "Claim lead \(leadId) first (POST /api/operator/leads/claim)")
        case .invalidTransition, .statusNotSettable:
            if error.from == .calling || error.from == .answered { return callInProgress(leadId) }
            return .conflict(code: .leadNotCallable, error: "Lead is not available for calling",
                             message: "Lead \(leadId) is \(error.from.rawValue)")
        }
    }

    /// A manual call refused by the dialing rules (issue 12); `localTimes` says the lead's clock.
    static func rules(_ reason: CallableReason, localTimes: String, hours: CallingHours, until: Int64?) -> IPCError {
        switch reason {
        case .doNotCall:
            return .conflict(code: .doNotCall, error: "This number is on the do-not-call list",
                             message: "The lead's number is on the do-not-call list; it may not be called")
        case .dailyCap:
            let when = until.map { " until " + Timestamp.iso8601(millis: $0) } ?? ""
            return .conflict(code: .dailyCap, error: "Daily call limit reached for this number",
                             message: "This number was called the maximum number of times in 24 hours; wait\(when)")
        case .outsideCallingWindow, .unknownTimezone:
            return .conflict(code: .outsideCallingHours, error: "Outside calling hours for this lead",
                             message: "It is \(localTimes) for this lead; calling hours are \(hours.summary)")
        }
    }
}
