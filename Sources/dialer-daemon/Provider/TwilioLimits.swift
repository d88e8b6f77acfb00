/// Named limits and timings of the Twilio provider (docs/TWILIO.md). `TwilioTiming` groups the
/// delays tests shorten; everything else is a fixed protocol limit.
enum TwilioLimits {
    /// The provider's name in `dialer.status`, `STATUS=` and the gateway's system status.
    static let providerName = "twilio"
    /// Twilio's REST API version path.
    static let apiVersion = "2010-04-01"
    /// A call sid: "CA" and 32 hex digits.
    static let callSidPrefix = "CA"
    static let callSidHexDigits = 32
    /// Seconds a REST request may take before it counts as unanswered (URLSession timeout).
    static let requestTimeoutSeconds = 15.0
    /// A response body larger than this is not parsed (Twilio's are a few KiB).
    static let maxResponseBytes = 1 << 20
    /// Create-call attempts when Twilio could not be reached at all (nothing was sent).
    static let maxCreateAttempts = 4
    /// The Twilio error code used for rate limiting (documented; logged like any other error).
    static let rateLimitErrorCode = "20429"
    /// Provider error codes the dialer stores when Twilio gave none of its own.
    static let unreachableCode = "twilio_unreachable"
    static let noAnswerFromTwilioCode = "twilio_timeout"
    static let badResponseCode = "twilio_bad_response"
    static let providerFailedCode = "twilio_failed"
    /// `end_reason` of an answered call that had no operator to connect to.
    static let abandonedEndReason = "abandoned"
    /// Longest `errorMessage`/`answeredBy`/`timestamp` accepted in `dialer.provider_event`.
    static let maxEventTextLength = 500

    /// True for "CA" followed by 32 hex digits.
    static func isCallSid(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == callSidPrefix.utf8.count + callSidHexDigits, text.hasPrefix(callSidPrefix) else { return false }
        return u.dropFirst(2).allSatisfy { (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }
    }
}

/// The provider's delays, injectable so tests need not wait for the production values.
struct TwilioTiming {
    /// Delay before each further create attempt after Twilio could not be reached
    /// (attempt 2, 3, 4); the last entry repeats if `maxCreateAttempts` grows.
    var connectRetryDelays: [Double] = [1, 2, 4]
    /// How long a webhook for a sid not yet known waits while create requests are in flight
    /// (Twilio can call back before its 201 reached us). Below the gateway's IPC timeout.
    var unknownSidWait = 1.0
    /// After this many seconds past the ring timeout without a final status, the call is
    /// fetched from Twilio (a lost webhook must not leave a call live forever).
    var statusGraceSeconds = 60.0
    /// While a call is answered, its status is fetched this often when no webhook came.
    var answeredCheckSeconds = 300.0

    static let standard = TwilioTiming()

    /// The delay before create attempt `attempt` (2 for the first retry).
    func retryDelay(beforeAttempt attempt: Int) -> Double {
        guard let last = connectRetryDelays.last else { return 1 }
        let index = attempt - 2
        return index < connectRetryDelays.count ? connectRetryDelays[max(0, index)] : last
    }
}
