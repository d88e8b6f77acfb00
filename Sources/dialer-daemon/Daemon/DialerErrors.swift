import Shared

/// The IPC errors the dialer answers (`{code, status, error, message}`; `status` is the HTTP status
/// the gateway answers, `error`/`message` the HTTP body strings). Documented in docs/ipc/dialer.md.
enum DialerErrors {
    /// Every value `status` may take, in the order shown in messages.
    static let statusList = CallStatus.operatorSettable.map(\.rawValue).joined(separator: ", ")

    /// 400: a missing or malformed field; `message` names the field.
    static func validation(_ message: String) -> IPCError { .validationFailed(message) }

    /// 400: a value the state machine refuses (notes too long, duration out of range).
    static func invalidValue(_ message: String) -> IPCError {
        .invalid(code: .invalidValue, error: "Validation failed", message: message)
    }

    /// 409: the lead already has a live call.
    static func callInProgress(leadId: String, live: CallRecord) -> IPCError {
        .conflict(code: .callInProgress, error: "Call already in progress for this lead",
                  message: "Lead \(leadId) already has call \(live.id) in status \(live.status.rawValue)")
    }

    /// 409: a resent `start_call` whose id belongs to a call for another lead.
    static func callIdConflict(callId: String, existing: CallRecord) -> IPCError {
        .conflict(code: .callIdConflict, error: "Call id already used",
                  message: "Call \(callId) already exists for lead \(existing.leadId)")
    }

    /// 404: no call with this id.
    static func callNotFound(_ callId: String) -> IPCError {
        .notFound(code: .callNotFound, error: "Call log not found", message: "No call with id \(callId)")
    }

    /// 403: an operator touching another operator's call.
    static func accessDenied(callId: String) -> IPCError {
        .forbidden(code: .accessDenied, error: "Access denied. This call does not belong to you.",
                   message: "Call \(callId) belongs to another operator")
    }

    /// 409: the state machine refused the transition; the message names the current status.
    static func invalidTransition(_ message: String, current: CallStatus) -> IPCError {
        .conflict(code: .invalidTransition, error: "Invalid status transition",
                  message: "\(message) (current status: \(current.rawValue))")
    }

    /// 500: the database refused a write (full disk, I/O error); the daemon keeps running.
    /// 409 (issue 14): `connect_call` for a call that is not an answered call waiting for an operator.
    static func notWaiting(callId: String) -> IPCError {
        .conflict(code: .callNotWaiting, message: "Call \(callId) is not waiting for an operator")
    }

    static func storage(callId: String) -> IPCError {
        .internal(code: .`internal`, message: "Could not store call \(callId); see the dialer-daemon log")
    }

    /// 503: the daemon is shutting down and takes no new commands.
    static let stopping = IPCError.unavailable(code: .dialerStopping, message: "dialer-daemon is shutting down")
}
