import Shared

/// The Twilio provider (docs/TWILIO.md): places real calls through Twilio's REST API and learns
/// their progress from Twilio's webhooks, which the gateway verifies and forwards
/// (`dialer.provider_event`, see `TwilioWebhookHandler`). HTTP runs off the loop
/// (`TwilioTransport`); every result is posted back, so all state lives on the loop thread.
///
/// - **Pacing**: calls wait in order behind a calls-per-second token bucket (`TwilioRateLimiter`).
/// - **Create**: 201 with a sid → `.created(sid)`; a Twilio error (21211 bad number, 20003 auth,
///   20429 rate limit, a 5xx) → `.failed(code, message)`; Twilio unreachable with nothing sent →
///   retried after `TwilioTiming.connectRetryDelays`, up to `TwilioLimits.maxCreateAttempts`, then
///   failed; no answer after the request went out → failed at once, never retried (a retry could
///   ring the lead twice).
/// - **Hangup**: `Status=canceled` before the answer, `completed` after; the final event is
///   reported on a later loop turn without waiting for Twilio.
/// - **Lost webhooks**: a call with no final status `ringTimeout + statusGraceSeconds` after it was
///   created (or `answeredCheckSeconds` after the last news once answered) is fetched from Twilio
///   (`TwilioProvider+StatusCheck`).
final class TwilioProvider: CallProvider {
    let name = TwilioLimits.providerName
    let settings: TwilioSettings
    let api: TwilioAPI
    let loop: EventLoop
    let logger: Logger
    let transport: TwilioTransport
    let timing: TwilioTiming
    /// Monotonic seconds (injectable for the rate limiter tests).
    let now: () -> Double
    private var limiter: TwilioRateLimiter

    /// Calls placed and not finished, by call id.
    var calls: [String: TwilioCall] = [:]
    var callIdBySid: [String: String] = [:]
    /// Call ids waiting for a CPS slot, in order.
    private var waiting: [String] = []
    private var pumpTimer: TimerSource?
    /// Create requests sent and not yet answered.
    private(set) var createsInFlight = 0
    /// Webhooks waiting for a sid that a create in flight may return (`whenSidKnown`).
    var sidWaiters: [String: [(TimerSource, (String?) -> Void)]] = [:]
    /// Offered each final event before the call's own callback; true when it stored the event
    /// itself (an abandoned call keeps its end reason, see `ProviderSelection.attach`).
    var finalEventOverride: ((String, CallProviderEvent) -> Bool)?

    init(settings: TwilioSettings, loop: EventLoop, logger: Logger,
         transport: TwilioTransport = URLSessionTwilioTransport(), timing: TwilioTiming = .standard,
         now: @escaping () -> Double = { MonotonicClock.seconds() }) {
        self.settings = settings
        api = TwilioAPI(settings: settings)
        self.loop = loop
        self.logger = logger
        self.transport = transport
        self.timing = timing
        self.now = now
        limiter = TwilioRateLimiter(callsPerSecond: settings.callsPerSecond)
    }

    var activeCount: Int { calls.count }

    /// The live call placed with this sid, if the provider still tracks it.
    func callId(forSid sid: String) -> String? { callIdBySid[sid] }

    /// The operator phone the call was placed for (what the answer TwiML dials).
    func operatorPhone(callId: String) -> String? { calls[callId]?.request.operatorPhone }

    // MARK: CallProvider

    func place(_ request: CallRequest, events: @escaping (CallProviderEvent) -> Void) {
        if calls[request.callId] != nil {
            return refuse(events, code: SimulatedProvider.duplicateCallCode, message: "Call \(request.callId) is already active")
        }
        if request.callId.isEmpty || request.to.isEmpty || request.from.isEmpty {
            return refuse(events, code: SimulatedProvider.invalidRequestCode, message: "Call id and both phone numbers are required")
        }
        calls[request.callId] = TwilioCall(request: request, events: events)
        waiting.append(request.callId)
        pump()
    }

    func hangup(callId: String) {
        guard let call = calls[callId] else { return }
        switch call.phase {
        case .waiting, .retryWait:
            waiting.removeAll { $0 == callId }
            call.cancelTimer()
            call.phase = .ending
            loop.schedule(after: 0) { [weak self, weak call] in
                guard let self, let call else { return }
                self.finish(call, .canceled)
            }
        case .creating:
            call.hangupRequested = true
        case .live:
            endAtTwilio(call)
        case .ending:
            return
        }
    }

    // MARK: Reports from webhooks and status checks

    /// Applies news about a live call: remembers the answer, re-arms the status check and passes
    /// the event on (`deliver: false` when the caller stored it itself); a final event ends the
    /// call here. News about calls that are not live (ending, unknown) is dropped.
    func report(callId: String, _ event: CallProviderEvent, deliver: Bool = true) {
        guard let call = calls[callId], call.phase == .live else { return }
        if event.isFinal { return finish(call, event, deliver: deliver) }
        if event == .answered, call.answeredAt == nil { call.answeredAt = now() }
        armStatusCheck(call)
        if deliver { call.events?(event) }
    }

    /// Seconds since the answer, as the provider saw it (0 when not answered).
    func talkedSeconds(callId: String) -> Int {
        guard let answeredAt = calls[callId]?.answeredAt else { return 0 }
        return max(0, Int(now() - answeredAt))
    }

    // MARK: Placing

    private func pump() {
        guard pumpTimer == nil else { return }
        while let callId = waiting.first {
            guard let call = calls[callId], call.phase == .waiting else {
                waiting.removeFirst()
                continue
            }
            let wait = limiter.take(now: now())
            if wait > 0 {
                pumpTimer = loop.schedule(after: wait) { [weak self] in
                    self?.pumpTimer = nil
                    self?.pump()
                }
                return
            }
            waiting.removeFirst()
            sendCreate(call)
        }
    }

    private func sendCreate(_ call: TwilioCall) {
        call.phase = .creating
        call.attempts += 1
        createsInFlight += 1
        let callId = call.callId
        transport.send(api.createCall(to: call.request.to, from: call.request.from,
                                      machineDetection: call.request.detectsMachines),
                       completion: loop.bounce { [weak self] result in self?.createAnswered(callId: callId, result) })
    }

    func createAnswered(callId: String, _ result: TwilioHTTPResult) {
        createsInFlight -= 1
        defer { if createsInFlight == 0 { releaseSidWaiters() } }
        guard let call = calls[callId] else { return }
        switch result {
        case .response(let status, let body):
            switch TwilioAPIAnswer.parse(status: status, body: body) {
            case .call(let sid, _, _):
                accepted(call, sid: sid)
            case .error(let code, let message):
                logger.warning("Twilio refused the call (HTTP \(status), code \(code)): \(message)",
                               call.logFields.merging(["TWILIO_ERROR_CODE": code, "HTTP_STATUS": String(status)]) { $1 })
                finish(call, call.hangupRequested ? .canceled : .failed(code: code, message: message))
            }
        case .notSent(let reason):
            if call.hangupRequested { return finish(call, .canceled) }
            guard call.attempts < TwilioLimits.maxCreateAttempts else {
                let message = "Could not reach Twilio at \(settings.apiBase) after \(call.attempts) attempts: \(reason)"
                logger.error(message, call.logFields)
                return finish(call, .failed(code: TwilioLimits.unreachableCode, message: message))
            }
            let delay = timing.retryDelay(beforeAttempt: call.attempts + 1)
            logger.warning("Could not reach Twilio (\(reason)); nothing was sent, attempt \(call.attempts + 1) "
                           + "of \(TwilioLimits.maxCreateAttempts) in \(delay) s", call.logFields)
            call.phase = .retryWait
            call.timer = loop.schedule(after: delay) { [weak self, weak call] in
                guard let self, let call, call.phase == .retryWait else { return }
                call.timer = nil
                call.phase = .waiting
                self.waiting.insert(call.callId, at: 0)
                self.pump()
            }
        case .unknownOutcome(let reason):
            let message = "No answer from Twilio to the create request (\(reason)); the call may or may not "
                + "have been placed, so it was not retried"
            logger.error(message, call.logFields)
            finish(call, .failed(code: TwilioLimits.noAnswerFromTwilioCode, message: message))
        }
    }

    private func accepted(_ call: TwilioCall, sid: String) {
        call.sid = sid
        call.phase = .live
        callIdBySid[sid] = call.callId
        logger.info("Twilio accepted the call", call.logFields)
        call.events?(.created(sid: sid))
        resumeSidWaiters(sid: sid, callId: call.callId)
        guard calls[call.callId] === call, call.phase == .live else { return }
        if call.hangupRequested { return endAtTwilio(call) }
        armStatusCheck(call)
    }

    // MARK: Ending

    /// Asks Twilio to end the call and reports the final event on the next loop turn.
    private func endAtTwilio(_ call: TwilioCall) {
        guard let sid = call.sid else { return }
        let answered = call.answeredAt != nil
        let final: CallProviderEvent = answered ? .completed(durationSeconds: talkedSeconds(callId: call.callId)) : .canceled
        call.phase = .ending
        call.cancelTimer()
        sendEnd(sid: sid, answered: answered, fields: call.logFields)
        loop.schedule(after: 0) { [weak self, weak call] in
            guard let self, let call else { return }
            self.finish(call, final)
        }
    }

    /// Forgets the call, releases its timer and callback, then reports `event` (unless told not to).
    func finish(_ call: TwilioCall, _ event: CallProviderEvent, deliver: Bool = true) {
        if calls[call.callId] === call { calls[call.callId] = nil }
        if let sid = call.sid, callIdBySid[sid] == call.callId { callIdBySid[sid] = nil }
        call.cancelTimer()
        call.phase = .ending
        let events = call.events
        call.events = nil
        guard deliver, finalEventOverride?(call.callId, event) != true else { return }
        events?(event)
    }

    private func refuse(_ events: @escaping (CallProviderEvent) -> Void, code: String, message: String) {
        loop.schedule(after: 0) { events(.failed(code: code, message: message)) }
    }
}
