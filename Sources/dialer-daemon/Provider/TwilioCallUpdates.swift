import Shared

/// The two call updates only Twilio's answer webhook makes, done by `CallManager` (the only
/// writer of `calls`) in one write each, through `CallStateMachine` like every other report:
/// - `twilioAnswered`: the call becomes `answered` and, in the same write, either records
///   `transferTime` (the TwiML dials the operator) or marks the call `endReason='abandoned'` (no
///   operator to connect: the lead hears a message and Twilio hangs up);
/// - `twilioEndedAbandoned`: the final report of such a call ends it `abandoned` (issue 14) and
///   keeps `endReason='abandoned'` instead of the state machine's, so reports can count them.
/// When a write fails, the report falls back to `providerReported` (stored later with the
/// daemon's retry of unstored reports), without the transfer mark.
extension CallManager {
    /// Applies the answer of live call `callId`; returns the call as it now is (nil when the call
    /// is not live). Repeated answers change nothing; `transferTime` is set once.
    func twilioAnswered(callId: String, transferring: Bool) -> CallRecord? {
        guard let call = active[callId] else { return nil }
        let now = clock.nowMillis()
        var next = call
        switch CallStateMachine.apply(.answered, to: call.snapshot, now: now) {
        case .success(let change):
            next = call.applying(change.next, now: now)
        case .failure(let error):
            logger.warning("Answer webhook refused: \(error.message)", call.logFields)
            return call
        }
        if transferring {
            if next.transferTime == nil { next.transferTime = now }
        } else if next.endReason != TwilioLimits.abandonedEndReason {
            next.endReason = TwilioLimits.abandonedEndReason
            logger.warning("The lead answered but no operator phone is available; the call is abandoned",
                           call.logFields)
        }
        guard next.status != call.status || next.transferTime != call.transferTime
                || next.endReason != call.endReason else { return call }
        next.updatedAt = now
        guard persist(next) else {
            providerReported(callId: callId, .answered)
            return active[callId] ?? call
        }
        commit(next, previous: call.status)
        return next
    }

    /// True when live call `callId` was answered without an operator.
    func isAbandoned(callId: String) -> Bool {
        active[callId]?.endReason == TwilioLimits.abandonedEndReason
    }

    /// Applies the final report of an abandoned call, keeping `endReason='abandoned'`.
    func twilioEndedAbandoned(callId: String, _ event: CallProviderEvent) {
        let now = clock.nowMillis()
        // Issue 14: an answered call nobody took ends `abandoned` (the message was said).
        let final: CallEvent? = active[callId]?.status == .answered && event.isFinal ? .abandoned : event.callEvent
        guard let call = active[callId], let callEvent = final,
              case .success(let change) = CallStateMachine.apply(callEvent, to: call.snapshot, now: now),
              change.next.status.isTerminal else {
            return providerReported(callId: callId, event)
        }
        var next = call.applying(change.next, now: now)
        next.endReason = TwilioLimits.abandonedEndReason
        guard persist(next) else { return providerReported(callId: callId, event) }
        commit(next, previous: call.status)
    }
}
