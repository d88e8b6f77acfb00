import Shared

/// What the Twilio provider does when webhooks do not come, and how it ends calls at Twilio:
/// - **Status check**: every live call has one timer. Before the answer it fires
///   `ringTimeout + statusGraceSeconds` after the last news, after the answer every
///   `answeredCheckSeconds`; it fetches the call (`GET …/Calls/{sid}.json`) and reports a status
///   that moved on, so a lost webhook never leaves a call (and its lead and operator) live forever.
/// - **Ending**: `Status=canceled`/`completed`; if Twilio says a canceled call is in fact
///   `in-progress` (answered meanwhile), `completed` is sent as well.
/// - **Orphans**: calls a crashed dialer left live are taken over at start-up (`adopt`) when Twilio
///   had accepted them, and their real status is fetched before anything ends them; a call whose
///   create request had not been answered is ended at Twilio, so a lead the queue dials again is
///   not rung twice.
extension TwilioProvider {
    func armStatusCheck(_ call: TwilioCall) {
        let delay = call.answeredAt == nil
            ? Double(settings.ringTimeoutSeconds) + timing.statusGraceSeconds
            : timing.answeredCheckSeconds
        call.cancelTimer()
        call.timer = loop.schedule(after: delay) { [weak self, weak call] in
            guard let self, let call, call.phase == .live else { return }
            call.timer = nil
            self.checkStatus(call)
        }
    }

    /// Takes over a call a previous dialer process placed (it is live at Twilio under `sid`) and
    /// asks Twilio for its status at once: a call that ended meanwhile is reported with its real
    /// outcome, one still going on stays live and is followed by webhooks and status checks.
    func adopt(_ request: CallRequest, sid: String, answered: Bool, events: @escaping (CallProviderEvent) -> Void) {
        let call = TwilioCall(request: request, events: events)
        call.sid = sid
        call.phase = .live
        if answered { call.answeredAt = now() }
        calls[request.callId] = call
        callIdBySid[sid] = request.callId
        checkStatus(call)
    }

    func checkStatus(_ call: TwilioCall) {
        guard let sid = call.sid else { return }
        let callId = call.callId
        logger.info("No final webhook yet; asking Twilio for the call's status", call.logFields)
        transport.send(api.fetchCall(sid: sid), completion: loop.bounce { [weak self] result in
            self?.statusFetched(callId: callId, sid: sid, result)
        })
    }

    func statusFetched(callId: String, sid: String, _ result: TwilioHTTPResult) {
        guard let call = calls[callId], call.phase == .live, call.sid == sid else { return }
        guard case .response(let httpStatus, let body) = result,
              case .call(_, let status?, let duration) = TwilioAPIAnswer.parse(status: httpStatus, body: body) else {
            logger.warning("Could not fetch the call's status from Twilio (\(result)); will ask again", call.logFields)
            return armStatusCheck(call)
        }
        switch TwilioStatusMap.event(status: status, callDuration: duration, fallbackDuration: talkedSeconds(callId: callId),
                                     errorCode: nil, errorMessage: nil) {
        case .success(let event?):
            logger.notice("Twilio reports the call \(status) (no webhook said so)", call.logFields)
            report(callId: callId, event)
            if calls[callId] === call, call.phase == .live { armStatusCheck(call) }
        case .success(nil):
            armStatusCheck(call)
        case .failure(let unknown):
            logger.warning("Twilio reports an unknown call status \(unknown.status); will ask again", call.logFields)
            armStatusCheck(call)
        }
    }

    /// Asks Twilio to end call `sid`; failures are logged (the call is already ended here).
    func sendEnd(sid: String, answered: Bool, fields: [String: String]) {
        transport.send(api.endCall(sid: sid, answered: answered), completion: loop.bounce { [weak self] result in
            self?.endAnswered(sid: sid, answered: answered, fields: fields, result)
        })
    }

    private func endAnswered(sid: String, answered: Bool, fields: [String: String], _ result: TwilioHTTPResult) {
        guard case .response(let status, let body) = result else {
            return logger.error("Could not end the call at Twilio (\(result)); it may still be ringing or connected", fields)
        }
        switch TwilioAPIAnswer.parse(status: status, body: body) {
        case .call(_, "in-progress"?, _) where !answered:
            logger.notice("The call was answered before it could be canceled; ending it", fields)
            sendEnd(sid: sid, answered: true, fields: fields)
        case .call:
            logger.info("Twilio ended the call", fields)
        case .error(let code, let message):
            // 21220: the call is no longer active (it ended by itself): nothing left to do.
            logger.log(code == "21220" ? .info : .warning, "Twilio did not end the call (code \(code)): \(message)",
                       fields.merging(["TWILIO_ERROR_CODE": code]) { $1 })
        }
    }

    /// Ends at Twilio the calls a previous dialer process left live (recovery marked them failed).
    func endOrphans(_ recovered: [CallRecord]) {
        for call in recovered {
            guard let sid = call.twilioCallSid, TwilioLimits.isCallSid(sid) else { continue }
            logger.notice("Ending at Twilio a call the previous dialer process left live",
                          ["CALL_ID": call.id, "LEAD_ID": call.leadId, "TWILIO_CALL_SID": sid])
            sendEnd(sid: sid, answered: call.answerTime != nil,
                    fields: ["CALL_ID": call.id, "LEAD_ID": call.leadId, "TWILIO_CALL_SID": sid])
        }
    }

    // MARK: Webhooks racing the create answer

    /// Calls `body` with the live call id of `sid`: at once when known; when create requests are
    /// in flight (Twilio may call back before its 201 reached us), once one returns this sid, or
    /// with nil after `timing.unknownSidWait` or when no create is left in flight.
    func whenSidKnown(_ sid: String, _ body: @escaping (String?) -> Void) {
        if let callId = callId(forSid: sid) { return body(callId) }
        guard createsInFlight > 0 else { return body(nil) }
        var timer: TimerSource?
        timer = loop.schedule(after: timing.unknownSidWait) { [weak self] in
            guard let self else { return }
            self.sidWaiters[sid]?.removeAll { $0.0 === timer }
            if self.sidWaiters[sid]?.isEmpty == true { self.sidWaiters[sid] = nil }
            body(nil)
        }
        if let timer { sidWaiters[sid, default: []].append((timer, body)) }
    }

    func resumeSidWaiters(sid: String, callId: String) {
        for (timer, body) in sidWaiters.removeValue(forKey: sid) ?? [] {
            timer.cancel()
            body(callId)
        }
    }

    /// No create left in flight: nobody waiting can be matched any more.
    func releaseSidWaiters() {
        let all = sidWaiters
        sidWaiters = [:]
        for (_, waiters) in all {
            for (timer, body) in waiters {
                timer.cancel()
                body(nil)
            }
        }
    }
}
