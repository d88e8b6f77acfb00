/// Twilio's call statuses (webhook `CallStatus`, REST `status`) mapped onto the provider events
/// the call state machine takes (reference §5.3, with its bugs fixed: `in-progress` is the
/// answer, not a failure; `no-answer` is a status like the others; `queued` and `initiated`
/// change nothing). Pure.
enum TwilioStatusMap {
    /// Every status Twilio documents for a voice call, in lifecycle order.
    static let knownStatuses = ["queued", "initiated", "ringing", "in-progress", "completed", "busy",
                                "no-answer", "failed", "canceled"]

    /// The event for `status`; `.success(nil)` when the status changes nothing (`queued`,
    /// `initiated`), `.failure` for a status Twilio does not document.
    /// - `callDuration`: Twilio's `CallDuration` (seconds) of a completed call; when absent,
    ///   `fallbackDuration` (seconds since the answer, as the dialer saw it) is used.
    /// - `errorCode`/`errorMessage`: Twilio's details of a failed call, if it sent any.
    static func event(status: String, callDuration: Int?, fallbackDuration: Int, errorCode: String?,
                      errorMessage: String?) -> Result<CallProviderEvent?, UnknownTwilioStatus> {
        switch status {
        case "queued", "initiated":
            return .success(nil)
        case "ringing":
            return .success(.ringing)
        case "in-progress":
            return .success(.answered)
        case "completed":
            return .success(.completed(durationSeconds: max(0, callDuration ?? fallbackDuration)))
        case "busy":
            return .success(.busy)
        case "no-answer":
            return .success(.noAnswer)
        case "failed":
            return .success(.failed(code: nonEmpty(errorCode) ?? TwilioLimits.providerFailedCode,
                                    message: nonEmpty(errorMessage) ?? "Twilio reported the call as failed"))
        case "canceled":
            return .success(.canceled)
        default:
            return .failure(UnknownTwilioStatus(status: status))
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}

/// A status Twilio does not document; the call is left as it is.
struct UnknownTwilioStatus: Error, Equatable, CustomStringConvertible {
    let status: String
    var description: String {
        "callStatus must be one of: " + TwilioStatusMap.knownStatuses.joined(separator: ", ")
    }
}
