/// `queue.start_manual_call {actorId, actorRole, leadId, operatorId?}` → `{call, lead}` (routes
/// #13 POST /api/calls/initiate and #36 POST /api/operator/calls/start). An operator calls a lead
/// they claimed; an admin calls a pending or claimed lead, with `operatorId` naming who takes the
/// call, else the lead's holder (claimed) or the least-recently-busy free operator (pending). The
/// operator is reserved, the lead goes `calling` (guarded write + `lead_events`), and
/// `dialer.start_call` is sent with mode `manual` and the operator's phone. Manual calls use a line
/// (they count in `activeCalls`) but are never refused for pacing.
/// The dialing rules apply (issue 12): 409 "Outside calling hours for this lead" with the lead's
/// local time, 409 "This number is on the do-not-call list", 409 over the per-number daily cap.
/// Errors: 400 validation; 404 "Lead not found"; 409 "Lead is not active"; 409 "Call already in
/// progress for this lead", "Lead is assigned to another operator", "Lead must be claimed before
/// starting a call", "You already have a call in progress", "No available salesperson found";
/// 409 "Specified salesperson is not available"; 503 when the dialer-daemon is not reachable.

import Shared

extension Dispatcher {

    func startManualCall(_ command: StartManualCallBody, reply: @escaping IPCReply) throws {
        let actorId = command.actorId
        let role = command.actorRole
        let leadId = command.leadId
        let requested = command.operatorId
        guard dialer.isConnected else { throw IPCError.unreachable(DispatchLimits.dialerPeerName) }
        guard let record = try daemon.store.record(id: leadId) else { throw QueueErrors.leadNotFound(leadId) }
        guard record.isActive else { throw QueueErrors.leadInactive(leadId) }
        if record.hasCallInProgress || liveCalls.call(forLead: leadId) != nil { throw ManualCallErrors.callInProgress(leadId) }
        try checkDialingRules(record)
        let operatorId = try chooseOperator(actorId: actorId, role: role, requested: requested, lead: record)
        let now = clock.nowMillis()
        let callId = ObjectID.generate(nowMillis: now)
        var fields = ["LEAD_ID": leadId, "CALL_ID": callId, "USER_ID": operatorId]
        if poolIds.contains(operatorId), !operators.reserve(operatorId, callId: callId, at: now) {
            throw ManualCallErrors.operatorBusy(operatorId, actorIsOperator: operatorId == actorId)
        }
        let result: Result<LeadTransition, LeadTransitionError>
        do {
            result = try daemon.db.transaction {
                try write(.manualCall(callId: callId, operatorId: operatorId, byAdmin: role == .admin),
                          to: record.snapshot, actor: actorId, now: now)
            }
        } catch {
            operators.release(callId: callId, at: now)
            throw error
        }
        switch result {
        case .failure(let error):
            operators.release(callId: callId, at: now)
            throw ManualCallErrors.refusal(error, leadId: leadId)
        case .success(let transition):
            committed(transition, on: record.snapshot, actorId: actorId, callId: callId)
        }
        liveCalls.add(LiveCall(callId: callId, leadId: leadId, operatorId: operatorId, startTime: now,
                               mode: .manual, state: .starting))
        syncOperatorStates()   // the operator is on_call now (users list, dashboards, operator_state_changed)
        gate.recentCalls.record(leadId: leadId, at: now)
        fields["ACTOR_ID"] = actorId
        logger.info("manual call started by \(role.rawValue)", fields)
        sendStartCall(callId: callId, leadId: leadId, to: record.phone, operatorId: operatorId, mode: .manual) {
            [weak self] result in
            guard let self else { return reply(.failure(.unreachable("queue-daemon"))) }
            self.daemon.writeGate.perform { [weak self] in
                self?.manualStartAnswered(result, callId: callId, fields: fields, reply: reply)
            }
        }
    }

    /// The dialing rules for a call a person asked for: 409 outside the lead's calling window (the
    /// message gives the lead's local time), on the do-not-call list, or over the daily cap.
    private func checkDialingRules(_ record: LeadRecord) throws {
        let now = clock.nowMillis()
        let zones = record.timezone.column ?? ""
        var facts = gate.facts(zones: zones, now: now)
        facts.recentCallTimes = gate.recentCalls.times(for: record.id, now: now)
        facts.onDoNotCallList = try record.doNotCall || daemon.dnc.contains(record.phone)
        guard let refusal = gate.rules.manualRefusal(facts, now: now) else { return }
        let localTimes = gate.timeZones(zones).map { CallingWindow.localTime(at: now, zone: $0) }.joined(separator: ", ")
        switch refusal {
        case .hold(let until, let reason):
            throw ManualCallErrors.rules(reason, localTimes: localTimes, hours: gate.window.hours, until: until)
        case .block(let reason):
            throw ManualCallErrors.rules(reason, localTimes: localTimes, hours: gate.window.hours, until: nil)
        case .dial:
            return
        }
    }

    /// Who takes the call (see the type comment); throws the refusal.
    private func chooseOperator(actorId: String, role: UserRole, requested: String?, lead: LeadRecord) throws -> OperatorID {
        if role == .operator_ {
            if liveCalls.call(forOperator: actorId) != nil { throw ManualCallErrors.operatorBusy(actorId, actorIsOperator: true) }
            return actorId
        }
        if let requested {
            if requested != actorId {
                guard let user = try reader.user(id: requested), user.isOperator, user.isActive, user.isAvailable else {
                    throw ManualCallErrors.operatorNotAvailable(requested)
                }
            }
            if liveCalls.call(forOperator: requested) != nil {
                throw ManualCallErrors.operatorBusy(requested, actorIsOperator: requested == actorId)
            }
            return requested
        }
        if lead.status == .claimed, let holder = lead.assignedTo {
            if liveCalls.call(forOperator: holder) != nil {
                throw ManualCallErrors.operatorBusy(holder, actorIsOperator: holder == actorId)
            }
            return holder
        }
        guard let free = operators.pickLeastRecentlyBusy() else { throw ManualCallErrors.noOperator }
        return free
    }

    private func manualStartAnswered(_ result: StartCallResult, callId: CallID, fields: [String: String],
                                     reply: @escaping IPCReply) {
        guard !isStopped else { return reply(.failure(.unreachable("queue-daemon"))) }
        let call = liveCalls.call(id: callId)
        switch result {
        case .placed(let body):
            if call?.state == .starting { liveCalls.setState(.confirmed, callId: callId) }
            let lead = fields["LEAD_ID"].flatMap { try? daemon.store.json(id: $0) } ?? .null
            reply(.success(["call": body["call"] ?? .null, "lead": lead]))
        case .notPlaced(let error):
            if let call { revertUnplacedCall(call, why: error.message, fields: fields) }
            reply(.failure(error))
        case .unknown(let error):
            liveCalls.setState(.unconfirmed, callId: callId)
            logger.warning("dialer did not answer a manual start_call (\(error.message)); recovery will check", fields)
            holdForRecheck()
            reply(.failure(error))
        case .callInProgress(let error):
            endCall(callId, at: clock.nowMillis())
            dialerSynced = false
            recovery.run(reason: "lead has another live call")
            reply(.failure(error))
        case .refused(let error):
            if let call { failRefusedManualCall(call, error: error, fields: fields) }
            reply(.failure(error.status >= 500 ? ManualCallErrors.startFailed(error.message) : error))
        }
    }

    /// The dialer refused a manual call: the lead returns to `pending` (no attempt counted: a
    /// person asked for this call, the line never rang).
    private func failRefusedManualCall(_ call: LiveCall, error: IPCError, fields: [String: String]) {
        logger.warning("dialer refused the manual call: \(error)", fields)
        processed.insert(callId: call.callId, status: .failed)
        requeueWithoutAttempt(call, note: "manual call \(call.callId) refused by the dialer (\(error.message)): re-queued",
                              fields: fields)
        requestPlan()
    }
}
