import Shared

/// The part of a `calls` row that the call state machine reads and writes (DESIGN §5): status,
/// the answer/end timestamps (ms since epoch, UTC), the talk duration in whole seconds, the
/// operator's notes, the provider's error details and why the call ended. Persistence maps it
/// to and from SQL; the machine only ever returns a new value, it never mutates IO state.
public struct CallSnapshot: Equatable, Sendable {
    public var status: CallStatus
    /// When the call record was created (`start_time`).
    public var startTime: Int64
    public var answerTime: Int64?
    public var endTime: Int64?
    /// Talk time in whole seconds; 0 until a completed call sets it.
    public var duration: Int
    public var notes: String?
    public var errorCode: String?
    public var errorMessage: String?
    /// `CallEndReason.rawValue` once the call is terminal.
    public var endReason: String?

    public init(status: CallStatus = .initiated, startTime: Int64, answerTime: Int64? = nil,
                endTime: Int64? = nil, duration: Int = 0, notes: String? = nil,
                errorCode: String? = nil, errorMessage: String? = nil, endReason: String? = nil) {
        self.status = status
        self.startTime = startTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.duration = duration
        self.notes = notes
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.endReason = endReason
    }

    /// A freshly placed call (`initiated`, nothing else set).
    public static func initiated(at now: Int64) -> CallSnapshot { CallSnapshot(startTime: now) }
}

/// Who ended a call, stored in `calls.end_reason`.
public enum CallEndReason: String, CaseIterable, Sendable {
    /// The telephony provider (or the simulation) reported the final status.
    case provider
    /// The system asked the provider to hang up (`dialer.hangup`).
    case hangup
    /// An operator or admin reported the final status (manual calls, corrections).
    case operatorReport = "operator"
    /// Issue 14: abandoned after the abandon wait; the short message was played to the lead.
    case abandonMessage = "abandon_message_played"
    /// Issue 14: answering-machine detection ended the call.
    case machineDetected = "machine_detected"
}

/// Named limits of call data (DESIGN: every protocol limit a named constant with a test).
public enum CallLimits {
    /// A reported duration must lie in `0...maxDurationSeconds` (`FieldRules.callDuration`).
    public static var maxDurationSeconds: Int { FieldRules.callDuration.limit.upperBound }
    /// Provider error codes and messages are cut to this many characters before they are stored.
    public static let maxErrorCodeLength = 64
    public static let maxErrorMessageLength = 500
}
