import Shared

/// The bridge between a stored call (`CallRecord`, a `calls` row) and the part the pure
/// `CallStateMachine` works on (`CallSnapshot`), plus the one way the daemon ends a call without
/// the machine: abandoning it when the daemon itself stops or restarted mid-call.
extension CallRecord {
    /// The fields the state machine reads and writes.
    var snapshot: CallSnapshot {
        CallSnapshot(status: status, startTime: startTime, answerTime: answerTime, endTime: endTime,
                     duration: duration, notes: notes, errorCode: errorCode, errorMessage: errorMessage,
                     endReason: endReason)
    }

    /// This call with the machine's result written back and `updatedAt` set to `now`.
    func applying(_ next: CallSnapshot, now: Int64) -> CallRecord {
        var call = self
        call.status = next.status
        call.answerTime = next.answerTime
        call.endTime = next.endTime
        call.duration = next.duration
        call.notes = next.notes
        call.errorCode = next.errorCode
        call.errorMessage = next.errorMessage
        call.endReason = next.endReason
        call.updatedAt = now
        return call
    }

    /// This live call ended `failed` because the dialer itself stopped (`reason`): whatever its
    /// stage, even answered (the state machine would only allow `completed` there, but nobody
    /// observed the end of the conversation). Duration stays as recorded.
    func abandoned(_ reason: DaemonEndReason, now: Int64) -> CallRecord {
        var call = self
        call.status = .failed
        call.endTime = now
        call.endReason = reason.rawValue
        call.errorCode = reason.errorCode
        call.errorMessage = reason.errorMessage
        call.updatedAt = now
        return call
    }

    /// Journald fields naming this call, its lead and its operator.
    var logFields: [String: String] {
        var fields = ["CALL_ID": id, "LEAD_ID": leadId]
        if let operatorId { fields["USER_ID"] = operatorId }
        return fields
    }
}

/// Why the daemon (not the provider, nor a person) ended a call; stored in `calls.end_reason`
/// next to `CallEndReason`'s values.
enum DaemonEndReason: String, CaseIterable {
    /// Found live at start-up: the previous dialer process died during the call.
    case restart
    /// The dialer received SIGTERM/SIGINT during the call.
    case shutdown

    var errorCode: String {
        switch self {
        case .restart: return "dialer_restart"
        case .shutdown: return "dialer_shutdown"
        }
    }

    var errorMessage: String {
        switch self {
        case .restart: return "Dialer restarted while the call was in progress"
        case .shutdown: return "Dialer stopped while the call was in progress"
        }
    }
}
