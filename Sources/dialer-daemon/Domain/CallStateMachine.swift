import Shared

/// The call state machine (DESIGN §5), pure: `apply(event, to: call, now:)` returns the new
/// snapshot or an error, and does no IO. Statuses move `initiated → ringing → answered →
/// completed`; `busy`, `no-answer`, `failed` and `canceled` end a call that was not answered.
///
/// How reports are judged (providers deliver callbacks late, twice and out of order; an operator
/// may resend a form):
/// - **advanced**: the status moves forward, skipping stages is allowed (`initiated → answered`
///   when the ringing callback was lost; `initiated → completed` for a manual call the operator
///   reports at the end).
/// - **duplicate** (no status change): the call already has that status. Notes from an operator
///   still apply, and so does an operator's duration for a completed call (idempotent form resend).
/// - **stale** (no-op): the report names an earlier stage than the call reached (`ringing` after
///   `answered`, `answered` after `busy`, any non-final status or a `hangup` on an ended call).
///   Nothing moves backwards; notes from an operator still apply.
/// - **invalid_transition** (409): the report contradicts what is known: a different final status
///   on an ended call, `busy`/`no-answer`/`failed`/`canceled` on an answered call, or a provider's
///   different duration for a call that already ended.
/// - **invalid_value** (400): notes longer than `CallLimits.maxNotesLength`, a duration outside
///   `0...CallLimits.maxDurationSeconds`, or a non-zero duration for a status other than `completed`.
///   Values are checked before the transition, and an error changes nothing.
///
/// Timestamps: `answerTime` is set when the call is answered; `endTime` and `endReason` when it
/// reaches any final status; a completed call's duration is the explicit one if given, otherwise
/// the whole seconds (floor) from `answerTime` to `endTime`, or 0 when it was never seen answered.
public enum CallStateMachine {

    public static func apply(_ event: CallEvent, to call: CallSnapshot,
                             now: Int64) -> Result<CallTransition, CallTransitionError> {
        switch event {
        case .ringing:
            return move(call, to: .ringing, now: now, reason: .provider)
        case .answered:
            return move(call, to: .answered, now: now, reason: .provider)
        case .completed(let duration):
            if let error = validate(duration: duration, for: .completed) { return .failure(error) }
            return move(call, to: .completed, now: now, reason: .provider, duration: duration)
        case .busy:
            return move(call, to: .busy, now: now, reason: .provider)
        case .noAnswer:
            return move(call, to: .noAnswer, now: now, reason: .provider)
        case .failed(let code, let message):
            return move(call, to: .failed, now: now, reason: .provider,
                        error: (code.map { clip($0, CallLimits.maxErrorCodeLength) },
                                message.map { clip($0, CallLimits.maxErrorMessageLength) }))
        case .canceled:
            return move(call, to: .canceled, now: now, reason: .provider)
        case .abandoned:
            return move(call, to: .abandoned, now: now, reason: .abandonMessage)
        case .machine:
            return move(call, to: .machine, now: now, reason: .machineDetected)
        case .hangup:
            if call.status.isTerminal {
                return .success(CallTransition(kind: .stale, previous: call, next: call))
            }
            let target: CallStatus = call.status == .answered ? .completed : .canceled
            return move(call, to: target, now: now, reason: .hangup)
        case .operatorUpdate(let status, let notes, let duration):
            // The last check of `FieldRules.callNotes` (the gateway checked it for its 400).
            if let notes, let tooLong = FieldRules.callNotes.violation(length: notes) {
                return .failure(CallTransitionError(.invalidValue, tooLong))
            }
            if let error = validate(duration: duration, for: status) { return .failure(error) }
            return move(call, to: status, now: now, reason: .operatorReport,
                        duration: duration, notes: notes)
        }
    }

    /// The order of stages; every final status is the last stage.
    static func stage(_ status: CallStatus) -> Int {
        switch status {
        case .initiated: return 0
        case .ringing: return 1
        case .answered: return 2
        case .completed, .busy, .noAnswer, .failed, .canceled, .abandoned, .machine: return 3
        }
    }

    private static func validate(duration: Int?, for status: CallStatus) -> CallTransitionError? {
        guard let duration else { return nil }
        // The last check of `FieldRules.callDuration` (the gateway checked it for its 400).
        if let outOfRange = FieldRules.callDuration.violation(value: Int64(duration)) {
            return CallTransitionError(.invalidValue, outOfRange)
        }
        if duration != 0 && status != .completed {
            return CallTransitionError(.invalidValue, "Duration can only be given for a completed call")
        }
        return nil
    }

    private static func move(_ call: CallSnapshot, to target: CallStatus, now: Int64,
                             reason: CallEndReason, duration: Int? = nil, notes: String? = nil,
                             error: (String?, String?)? = nil) -> Result<CallTransition, CallTransitionError> {
        let current = call.status
        var next = call
        if let notes { next.notes = notes }

        if target == current {
            if current.isTerminal, let duration, duration != call.duration {
                // An operator repeating the ended call's status (the API document's own example,
                // sent after a simulated call ended by itself) records their duration; a
                // provider cannot rewrite a duration it already reported.
                guard reason == .operatorReport else {
                    return .failure(CallTransitionError(.invalidTransition,
                        "Call has already ended; only notes can be changed"))
                }
                next.duration = duration
            }
            return .success(CallTransition(kind: .duplicate, previous: call, next: next))
        }
        if stage(target) < stage(current) {
            return .success(CallTransition(kind: .stale, previous: call, next: next))
        }
        if current.isTerminal {
            return .failure(CallTransitionError(.invalidTransition,
                "Call has already ended with status \(current.rawValue)"))
        }
        if current == .answered && ![.completed, .abandoned, .machine].contains(target) {
            return .failure(CallTransitionError(.invalidTransition,
                "An answered call can only end as completed, not \(target.rawValue)"))
        }

        next.status = target
        if target == .answered && next.answerTime == nil { next.answerTime = now }
        if target.isTerminal {
            next.endTime = now
            next.endReason = reason.rawValue
        }
        if target == .completed {
            next.duration = duration ?? computedDuration(answerTime: next.answerTime, endTime: now)
        }
        if target == .failed, let (code, message) = error {
            next.errorCode = code
            next.errorMessage = message
        }
        return .success(CallTransition(kind: .advanced, previous: call, next: next))
    }

    /// Whole seconds from answer to end, floored, within `0...maxDurationSeconds`.
    static func computedDuration(answerTime: Int64?, endTime: Int64) -> Int {
        guard let answerTime, endTime > answerTime else { return 0 }
        let seconds = (endTime - answerTime) / 1000
        return Int(min(seconds, Int64(CallLimits.maxDurationSeconds)))
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        if text.utf8.count <= limit { return text }
        return String(text.prefix(limit))
    }
}
