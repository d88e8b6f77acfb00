/// `queue.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (callbackAt in
/// epoch ms) → `{call, lead}` (issue 12). The queue-daemon decides: `DispositionRules` checks the
/// call (read from `calls`) and, for a call-back, the lead's window at that time; the dialer
/// records the disposition on the call (`dialer.set_disposition`, it owns `calls`); then the
/// effect is written here: `do_not_call` puts the number on the list (source `disposition`, by
/// the call's operator), `wrong_number` fails the lead, `callback` makes it pending, due then and
/// reserved for the operator; every disposition is recorded on the lead with an event row.
/// Errors: 400 unknown disposition (lists the allowed ones) or bad `callbackAt`; 403 another
/// operator's call; 404 call not found; 409 call not answered yet, or the edit time is over.

import Shared

extension Dispatcher {

    func setDisposition(_ command: QueueSetDispositionBody, reply: @escaping IPCReply) throws {
        let actorId = command.fields.actorId
        let role = command.fields.actorRole
        let callId = command.fields.callId
        let disposition = command.fields.disposition
        let callbackAt = command.fields.callbackAt
        guard let call = try reader.dispositionCall(id: callId) else {
            throw IPCError(code: .callNotFound, status: 404, error: "Call log not found", message: "No call \(callId)")
        }
        guard let lead = try daemon.store.record(id: call.leadId) else { throw QueueErrors.leadNotFound(call.leadId) }
        let now = clock.nowMillis()
        let zones = lead.timezone.column ?? ""
        let parsedZones = gate.timeZones(zones)
        let rules = DispositionRules(allowed: daemon.config.dispositions,
                                     editMillis: Int64(daemon.config.dispositionEditHours) * 3_600_000)
        let booked = lead.status == .pending && lead.disposition == Dispositions.callback
        let checked = rules.check(disposition: disposition, callbackAt: callbackAt, call: call.facts, actorId: actorId,
                                  isAdmin: role == .admin, now: now, callbackBooked: booked) { [gate] at in
            parsedZones.isEmpty ? .open(closesAt: .max) : gate.window.state(at: at, zones: parsedZones)
        }
        let effect: DispositionEffect
        switch checked {
        case .success(let value): effect = value
        case .failure(let refusal):
            let local = callbackAt.map { at in parsedZones.map { CallingWindow.localTime(at: at, zone: $0) }
                .joined(separator: ", ") } ?? ""
            throw Self.error(refusal, callId: callId, localTime: local, hours: gate.window.hours)
        }
        let operatorId = call.facts.operatorId ?? actorId
        var recorded = command.fields
        recorded.callbackAt = nil
        if case .callback(let at) = effect { recorded.callbackAt = at }
        let dialerBody = SetDispositionBody(recorded)
        dialer.request(dialerBody) { [weak self] result in
            guard let self else { return reply(.failure(.unreachable("queue-daemon"))) }
            switch result {
            case .failure(let error):
                reply(.failure(error))
            case .success(let recorded):
                self.daemon.writeGate.perform { [weak self] in
                    guard let self else { return }
                    do {
                        let json = try self.applyDisposition(effect, disposition: disposition, leadId: call.leadId,
                                                             operatorId: operatorId, actorId: actorId)
                        reply(.success(["call": recorded["call"] ?? .null, "lead": json]))
                    } catch {
                        reply(.failure(self.daemon.router.answer(for: error, type: QueueCommand.setDisposition.rawValue, body: command.body)))
                    }
                }
            }
        }
    }

    /// Writes the effect on the lead in one commit (the scheduler hears of it through the change
    /// set; the call-back book follows here); returns the lead's JSON.
    private func applyDisposition(_ effect: DispositionEffect, disposition: String, leadId: LeadID,
                                  operatorId: OperatorID, actorId: String) throws -> JSON {
        let store = daemon.store
        let now = clock.nowMillis()
        guard let before = try store.record(id: leadId) else { throw QueueErrors.leadNotFound(leadId) }
        var statusChange: LeadTransition?
        let events = daemon.events
        let json: JSON = try daemon.commit {
            switch effect {
            case .failLead:
                if case .success(var t) = store.machine.apply(.dispositionStatus(.failed), to: before.snapshot, now: now) {
                    t.reason = "wrong_number (disposition by operator \(operatorId))"
                    try store.write(t, on: before.snapshot, actor: actorId, now: now)
                    statusChange = t
                }
            case .callback:
                if before.status != .pending || before.assignedTo != nil,
                   case .success(var t) = store.machine.apply(.dispositionStatus(.pending), to: before.snapshot, now: now) {
                    t.reason = "call-back booked by operator \(operatorId)"
                    try store.write(t, on: before.snapshot, actor: actorId, now: now)
                    statusChange = t
                }
            case .cancelCallback:
                if before.status == .pending,
                   case .success(var t) = store.machine.apply(.dispositionStatus(.transferred), to: before.snapshot, now: now) {
                    t.reason = "call-back cancelled: disposition \(disposition) by operator \(operatorId)"
                    t.assignedTo = .set(operatorId)
                    try store.write(t, on: before.snapshot, actor: actorId, now: now)
                    statusChange = t
                }
            case .doNotCall, .record:
                break
            }
            var callback: (operatorId: OperatorID, at: Int64)?
            if case .callback(let at) = effect { callback = (operatorId, at) }
            let when = callback.map { " for " + Timestamp.iso8601(millis: $0.at) } ?? ""
            try store.recordDisposition(id: leadId, disposition: disposition, callback: callback, actor: actorId,
                                        reason: "disposition \(disposition) by operator \(operatorId)\(when)", now: now)
            if effect == .doNotCall {
                _ = try DoNotCallCommand(daemon: daemon).add(phone: before.phone, reason: "disposition do_not_call",
                                                             source: .disposition, actorId: operatorId)
            }
            let json = try store.json(id: leadId)
            if let statusChange {
                events.leadStatusChanged(json, from: statusChange.from, to: statusChange.to,
                                         reason: statusChange.reason, actorId: actorId)
            } else {
                events.leadUpdated(json, actorId: actorId, fields: ["disposition"])
            }
            return json
        }
        guard let after = try store.record(id: leadId) else { return .null }
        callbacks.sync(after)
        logger.info("disposition \(disposition) applied", ["LEAD_ID": leadId, "USER_ID": operatorId])
        requestPlan()
        return json
    }

    static func error(_ refusal: DispositionRefusal, callId: CallID, localTime: String, hours: CallingHours) -> IPCError {
        switch refusal {
        case .unknown(let allowed):
            return QueueErrors.validation("\"disposition\" must be one of " + allowed.joined(separator: ", "))
        case .notYourCall:
            return .forbidden(code: .accessDenied, error: "Access denied. This call does not belong to you.",
                              message: "Call \(callId) belongs to another operator")
        case .callNotAnswered:
            return .conflict(code: .callNotAnswered, error: "Call has not been answered",
                             message: "A disposition can be recorded once the call is answered or has ended")
        case .editWindowClosed:
            return .conflict(code: .dispositionLocked, error: "Disposition can no longer be changed",
                             message: "The time to change this call's disposition is over")
        case .callbackRequired:
            return QueueErrors.validation("\"callbackAt\" is required for the callback disposition")
        case .callbackInPast:
            return QueueErrors.validation("\"callbackAt\" must be in the future")
        case .callbackTooFar:
            return QueueErrors.validation("\"callbackAt\" must be at most \(Dispositions.maxCallbackDays) days ahead")
        case .callbackOutsideWindow:
            return QueueErrors.validation("\"callbackAt\" is outside the lead's calling hours (it would be \(localTime); "
                                          + "calling hours are \(hours.summary))")
        }
    }
}
