import Shared

/// The dialer's part of predictive pacing (issue 14): an automatic call placed without an
/// operator that a person answers waits `abandonWaitSeconds` for the queue to connect one
/// (`dialer.connect_call {callId, operatorId}`); if none comes the provider plays
/// `abandonMessage` and the call ends `abandoned`. The dialer owns this timer because it owns the
/// call: the legal limit holds even while the queue-daemon is away. After an operator's report on
/// a call (`dialer.update_call`) it publishes `event.call_updated {call}`, which ends the
/// operator's wrap-up in the queue.
extension CallManager {

    /// Called by `commit` after every stored change.
    func pacingCommitted(_ call: CallRecord) {
        if call.status.isTerminal {
            abandonTimers.removeValue(forKey: call.id)?.cancel()
            return
        }
        guard call.status == .answered, call.mode == .automatic, call.operatorId == nil,
              abandonTimers[call.id] == nil else { return }
        abandonTimers[call.id] = loop.schedule(after: abandonWaitSeconds) { [weak self] in
            self?.abandonWaitEnded(callId: call.id)
        }
    }

    private func abandonWaitEnded(callId: String) {
        abandonTimers[callId] = nil
        guard let call = active[callId], call.status == .answered, call.operatorId == nil else { return }
        logger.notice("No operator within the abandon wait; playing the message and ending the call", call.logFields)
        if let waiter = answerWaiters.removeValue(forKey: callId) {
            // Twilio: the held answer webhook gets the message TwiML (<Say>, <Hangup/>); Twilio's
            // final callback then ends the call `abandoned` (`twilioEndedAbandoned`).
            var next = call
            next.endReason = TwilioLimits.abandonedEndReason
            next.updatedAt = clock.nowMillis()
            if persist(next) { active[callId] = next }
            return waiter(nil)
        }
        provider.abandon(callId: callId, message: abandonMessage)
    }

    /// `dialer.connect_call`: hands the waiting answered call to `operatorId` (Twilio: the held
    /// answer webhook's TwiML dials `operatorPhone`).
    func connectCall(callId: String, operatorId: String, operatorPhone: String? = nil) -> Result<CallRecord, IPCError> {
        guard let call = active[callId], call.status == .answered, call.operatorId == nil,
              let timer = abandonTimers.removeValue(forKey: callId) else {
            return .failure(DialerErrors.notWaiting(callId: callId))
        }
        timer.cancel()
        var next = call
        next.operatorId = operatorId
        next.updatedAt = clock.nowMillis()
        next.transferTime = next.updatedAt  // time to operator = transferTime - answerTime
        guard persist(next) else {
            abandonTimers[callId] = loop.schedule(after: 0) { [weak self] in self?.abandonWaitEnded(callId: callId) }
            return .failure(DialerErrors.storage(callId: callId))
        }
        active[callId] = next
        provider.connect(callId: callId)
        answerWaiters.removeValue(forKey: callId)?(operatorPhone)
        logger.info("Answered call connected to an operator", next.logFields)
        publishEvent(CallEventBody(.callConnected, call: next.json))
        return .success(next)
    }

    func outcomeSubmitted(_ call: CallRecord) {
        publishEvent(CallEventBody(.callUpdated, call: call.json))
    }
}
