import Shared

/// `dialer.provider_event` (docs/ipc/dialer.md): a verified Twilio webhook, forwarded by the
/// gateway, applied to the call it names.
/// - The sid is looked up among the provider's live calls; then among stored calls (a late or
///   repeated webhook for a call that ended: answered with the call, nothing changes); then,
///   while create requests are in flight, up to `TwilioTiming.unknownSidWait` for the create
///   answer carrying it. Otherwise 404 `call_not_found` `{error:"Call log not found"}`.
/// - Status webhooks map the Twilio status (`TwilioStatusMap`) and report it like any provider
///   event: through `CallStateMachine`, so duplicates and out-of-order callbacks change nothing.
///   An abandoned call (answered without an operator) keeps `endReason='abandoned'` when it ends
///   (`TwilioProvider.finalEventOverride`, set by `ProviderSelection.attach`).
/// - Answer webhooks apply `answered` and decide the transfer: the reply's `operatorPhone` is the
///   phone the TwiML dials (the call records `transferTime`), or null (the call is abandoned, or
///   no longer live) and the TwiML says a message and hangs up.
/// Reply: `{call}` (status) or `{call, operatorPhone}` (answer). Loop thread only.
final class TwilioWebhookHandler {
    let provider: TwilioProvider
    let manager: CallManager
    let logger: Logger

    init(provider: TwilioProvider, manager: CallManager, logger: Logger) {
        self.provider = provider
        self.manager = manager
        self.logger = logger
    }

    /// `handle(_:_:)` for a raw request (the body decoded first).
    func handle(_ request: IPCRequest, _ reply: @escaping IPCReply) {
        do {
            handle(try ProviderEventBody(body: request.body), reply)
        } catch {
            reply(.failure(error as? IPCError ?? DialerErrors.validation("\(error)")))
        }
    }

    func handle(_ command: ProviderEventBody, _ reply: @escaping IPCReply) {
        let event: TwilioProviderEvent
        switch TwilioProviderEvent.parse(command) {
        case .failure(let error): return reply(.failure(error))
        case .success(let parsed): event = parsed
        }
        if let callId = provider.callId(forSid: event.callSid) { return apply(event, callId: callId, reply) }
        let stored: CallRecord?
        manager.committer.commit()  // a call that ended in memory is read as stored
        do {
            stored = try manager.store.load(sid: event.callSid)
        } catch {
            logger.error("Could not read the call of a webhook: \(error)", ["TWILIO_CALL_SID": event.callSid])
            return reply(.failure(DialerErrors.storage(callId: event.callSid)))
        }
        if let stored {
            logger.debug("Webhook \(event.callStatus) for a call that is no longer live; nothing changes",
                         stored.logFields.merging(["TWILIO_CALL_SID": event.callSid]) { $1 })
            return reply(.success(Self.body(stored, event, operatorPhone: nil)))
        }
        provider.whenSidKnown(event.callSid) { [weak self] callId in
            guard let self else { return reply(.failure(DialerErrors.stopping)) }
            guard let callId else {
                self.logger.notice("Webhook for a call sid the dialer never placed", ["TWILIO_CALL_SID": event.callSid])
                return reply(.failure(Self.unknownSid(event.callSid)))
            }
            self.apply(event, callId: callId, reply)
        }
    }

    static func unknownSid(_ sid: String) -> IPCError {
        .notFound(code: .callNotFound, error: "Call log not found", message: "No call with Twilio sid \(sid)")
    }

    private func apply(_ event: TwilioProviderEvent, callId: String, _ reply: @escaping IPCReply) {
        var fields = ["CALL_ID": callId, "TWILIO_CALL_SID": event.callSid, "TWILIO_STATUS": event.callStatus]
        if let answeredBy = event.answeredBy { fields["TWILIO_ANSWERED_BY"] = answeredBy }
        logger.debug("Twilio \(event.webhook.rawValue) webhook: \(event.callStatus)", fields)
        let mapped = TwilioStatusMap.event(status: event.callStatus, callDuration: event.callDuration,
                                           fallbackDuration: fallbackDuration(callId), errorCode: event.errorCode,
                                           errorMessage: event.errorMessage)
        let providerEvent: CallProviderEvent?
        switch mapped {
        case .failure(let unknown):
            logger.warning("Twilio webhook with an unknown status \(unknown.status); ignored", fields)
            return reply(.failure(DialerErrors.validation(unknown.description)))
        case .success(let value):
            providerEvent = value
        }
        if event.webhook == .answer, providerEvent.map({ !$0.isFinal }) ?? true {
            if TwilioAnsweredBy.isMachine(event.answeredBy) { return machineAnswered(event, callId: callId, reply) }
            return answer(event, callId: callId, reply)
        }
        if let providerEvent { provider.report(callId: callId, providerEvent) }
        reply(callReply(callId, event, operatorPhone: nil))
    }

    private func answer(_ event: TwilioProviderEvent, callId: String, _ reply: @escaping IPCReply) {
        let phone = provider.operatorPhone(callId: callId)
        if phone == nil, let live = manager.active[callId], live.mode == .automatic, live.operatorId == nil,
           manager.answerWaiters[callId] == nil {
            return holdForOperator(event, callId: callId, reply)
        }
        provider.report(callId: callId, .answered, deliver: false)
        guard let call = manager.twilioAnswered(callId: callId, transferring: phone != nil) else {
            return reply(callReply(callId, event, operatorPhone: nil))
        }
        let connecting = call.status == .answered && phone != nil ? phone : nil
        reply(.success(Self.body(call, event, operatorPhone: connecting)))
    }

    /// Issue 14, predictive pacing: the call was placed without an operator. The answer is
    /// stored and reported (the abandon wait starts, the queue looks for an operator) and the
    /// webhook's reply waits for `connect_call` (TwiML dials that operator) or the end of the
    /// wait (TwiML says the abandoned-call message and hangs up).
    private func holdForOperator(_ event: TwilioProviderEvent, callId: String, _ reply: @escaping IPCReply) {
        manager.answerWaiters[callId] = { [weak self] phone in
            guard let self else { return reply(.failure(DialerErrors.stopping)) }
            reply(self.callReply(callId, event, operatorPhone: phone))
        }
        provider.report(callId: callId, .answered)
    }

    /// Issue 14: detection says a machine (or fax) answered: the call ends `machine` and the
    /// TwiML hangs up (`hangUp: true`), no operator is dialled.
    private func machineAnswered(_ event: TwilioProviderEvent, callId: String, _ reply: @escaping IPCReply) {
        logger.info("Twilio detected \(event.answeredBy ?? "a machine"); ending the call", ["CALL_ID": callId])
        provider.report(callId: callId, .machine)
        var body = (try? callReply(callId, event, operatorPhone: nil).get()) ?? JSONObject()
        body["hangUp"] = .bool(true)
        reply(.success(body))
    }

    /// Seconds from the stored answer time until now (Twilio's `CallDuration` when it sent none).
    private func fallbackDuration(_ callId: String) -> Int {
        guard let answerTime = manager.active[callId]?.answerTime else { return provider.talkedSeconds(callId: callId) }
        return CallStateMachine.computedDuration(answerTime: answerTime, endTime: manager.clock.nowMillis())
    }

    private func callReply(_ callId: String, _ event: TwilioProviderEvent, operatorPhone: String?)
        -> Result<JSONObject, IPCError> {
        manager.lookup(callId).map { Self.body($0, event, operatorPhone: operatorPhone) }
    }

    /// `{call}`, plus `operatorPhone` (string or null) for the answer webhook.
    static func body(_ call: CallRecord, _ event: TwilioProviderEvent, operatorPhone: String?) -> JSONObject {
        var body = JSONObject([("call", .object(call.json))])
        if event.webhook == .answer { body["operatorPhone"] = operatorPhone.map(JSON.string) ?? .null }
        return body
    }
}
