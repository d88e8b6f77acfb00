import Shared

/// The inputs and outputs of `CallStateMachine`: the events that may happen to a call (reported
/// by the provider, requested by the system, or reported by an operator/admin), the transition a
/// valid event produces, and the error an invalid one produces (with its HTTP status).
public enum CallEvent: Equatable, Sendable {
    case ringing
    case answered
    /// The call ended after being answered; `durationSeconds` (when known) overrides the computed one.
    case completed(durationSeconds: Int?)
    case busy
    case noAnswer
    case failed(code: String?, message: String?)
    /// The provider reports the call was cancelled before it was answered.
    case canceled
    /// Issue 14: a person answered, no operator came within the abandon wait; the message was played.
    case abandoned
    /// Issue 14: an answering machine (or fax) answered and detection ended the call.
    case machine
    /// The system asks to end the call: before answer it becomes `canceled`, after answer `completed`.
    case hangup
    /// An operator or admin reports a status (manual calls, corrections) and may add notes.
    case operatorUpdate(status: CallStatus, notes: String?, duration: Int?)
}

/// What a valid event did to a call.
public struct CallTransition: Equatable, Sendable {
    /// How the event related to the call's state.
    public enum Kind: String, Sendable {
        /// The status moved forward.
        case advanced
        /// The call already had the reported status (a resend). The status is unchanged;
        /// notes may still have been updated by an operator report.
        case duplicate
        /// The report names an earlier stage than the call has reached (e.g. `ringing` after
        /// `answered`, or `hangup` of a call that already ended): ignored, never moving backwards.
        case stale
    }

    public let kind: Kind
    public let previous: CallSnapshot
    public let next: CallSnapshot

    public var previousStatus: CallStatus { previous.status }
    public var status: CallStatus { next.status }
    /// Whether the status changed (publish `event.call_status_changed`).
    public var isStatusChange: Bool { previous.status != next.status }
    /// Whether anything must be written (status, timestamps or notes changed).
    public var changesRecord: Bool { previous != next }
}

/// Why an event was refused. `code` is the IPC error code; `httpStatus` what the gateway answers.
public struct CallTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The event contradicts the call's state (e.g. `busy` on an answered call, a different
        /// final status on a call that already ended). HTTP 409.
        case invalidTransition = "invalid_transition"
        /// A value is out of range (notes too long, duration negative or above one day). HTTP 400.
        case invalidValue = "invalid_value"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var httpStatus: Int {
        switch code {
        case .invalidTransition: return 409
        case .invalidValue: return 400
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
