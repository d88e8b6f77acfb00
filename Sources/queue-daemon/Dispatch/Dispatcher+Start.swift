/// Placing automatic calls: the planner's `.startCall` becomes a guarded `pending → calling` write
/// and then `dialer.start_call`. The dialer's answer is classified once (`StartCallResult`) and
/// handled so that nothing is ever counted twice or dialled twice:
/// - placed → the call is confirmed; its outcome arrives as events;
/// - not placed (dialer unreachable before sending, stopping, overloaded) → the lead goes back to
///   `pending` without counting an attempt, and dispatch waits for recovery to resync;
/// - unknown (timeout or connection lost after sending) → the lead stays `calling`; recovery
///   decides from the dialer's status and the `calls` table;
/// - the lead already has a live call → ours is dropped, recovery adopts the live one;
/// - any other refusal → `callUnsuccessful(.failed)`: an attempt with backoff, never a hot loop.

import Shared

enum StartCallResult {
    case placed(JSONObject)
    case notPlaced(IPCError)
    case unknown(IPCError)
    case callInProgress(IPCError)
    case refused(IPCError)


    /// Classifies the dialer's answer to a request that was sent.
    init(_ result: Result<JSONObject, IPCError>) {
        switch result {
        case .success(let body):
            self = .placed(body)
        case .failure(let error) where error.has(.peerUnreachable) || error.has(.peerTimeout):
            self = .unknown(error)
        case .failure(let error) where error.status == 503:
            self = .notPlaced(error)
        case .failure(let error) where error.has(.callInProgress):
            self = .callInProgress(error)
        case .failure(let error):
            self = .refused(error)
        }
    }
}

extension Dispatcher {
    /// Sends `dialer.start_call`; when the dialer is not connected nothing is sent and the
    /// completion (always on a later loop turn) gets `.notPlaced`.
    func sendStartCall(callId: CallID, leadId: LeadID, to phone: String, operatorId: OperatorID?, mode: CallMode,
                       completion: @escaping (StartCallResult) -> Void) {
        guard dialer.isConnected else {
            let error = IPCError.unreachable(DispatchLimits.dialerPeerName)
            loop.post { completion(.notPlaced(error)) }
            return
        }
        let operatorPhone = operatorId.flatMap { try? reader.user(id: $0)?.phone }.flatMap { $0.isEmpty ? nil : $0 }
        let body = StartCallBody(callId: callId, leadId: leadId, operatorId: operatorId, to: phone, mode: mode,
                                 operatorPhone: operatorPhone)
        dialer.request(body) { completion(StartCallResult($0)) }
    }

    /// Performs one planned `.startCall` (the operator is already reserved for `callId`; nil for a
    /// predictive call, which takes the operator free when it answers); `reservedFor` dials a
    /// booked call-back for that operator (the lead is reserved, not in the scheduler).
    func startAutomaticCall(leadId: LeadID, operatorId: OperatorID?, callId: CallID, now: Int64,
                            reservedFor: OperatorID? = nil) {
        var fields = ["LEAD_ID": leadId, "CALL_ID": callId]
        if let operatorId { fields["USER_ID"] = operatorId }
        let record: LeadRecord?
        let result: Result<LeadTransition, LeadTransitionError>
        do {
            record = try daemon.store.record(id: leadId)
            let callable = record.map { $0.isDispatchable
                || (reservedFor != nil && $0.snapshot.isCallable && $0.callbackOperator == reservedFor) } ?? false
            guard let record, callable else {
                operators.release(callId: callId, at: now)
                if let record { scheduler.sync(record.snapshot) } else { scheduler.remove(id: leadId) }
                logger.info("lead is no longer dispatchable; skipped", fields)
                return requestPlan()
            }
            result = try daemon.db.transaction {
                try write(.dispatch(callId: callId, operatorId: operatorId), to: record.snapshot, now: now)
            }
        } catch {
            operators.release(callId: callId, at: now)
            return holdAfterStoreFailure(error, fields)
        }
        guard let record else { return }
        switch result {
        case .failure(let error):
            operators.release(callId: callId, at: now)
            scheduler.remove(id: leadId)
            logger.warning("dispatch refused: \(error)", fields)
            return requestPlan()
        case .success(let transition):
            committed(transition, on: record.snapshot, actorId: nil, callId: callId)
        }
        liveCalls.add(LiveCall(callId: callId, leadId: leadId, operatorId: operatorId, startTime: now,
                               mode: .automatic, state: .starting))
        gate.recentCalls.record(leadId: leadId, at: now)
        pacing.placed(callId: callId, reserved: operatorId != nil, at: now)
        fields["LEAD_PRIORITY"] = record.priority.rawValue
        logger.info("dialing lead (attempt \(record.attempts + 1))", fields)
        sendStartCall(callId: callId, leadId: leadId, to: record.phone, operatorId: operatorId, mode: .automatic) {
            [weak self] result in
            self?.daemon.writeGate.perform { [weak self] in self?.automaticStartAnswered(result, callId: callId, fields: fields) }
        }
    }

    private func automaticStartAnswered(_ result: StartCallResult, callId: CallID, fields: [String: String]) {
        guard !isStopped, let call = liveCalls.call(id: callId) else { return }  // already ended by an event
        switch result {
        case .placed:
            if call.state == .starting { liveCalls.setState(.confirmed, callId: callId) }
        case .notPlaced(let error):
            revertUnplacedCall(call, why: error.message, fields: fields)
        case .unknown(let error):
            liveCalls.setState(.unconfirmed, callId: callId)
            logger.warning("dialer did not answer start_call (\(error.message)); recovery will check the call", fields)
            holdForRecheck()
        case .callInProgress(let error):
            endCall(callId, at: clock.nowMillis())
            logger.warning("dialer reports another live call for the lead (\(error.message)); adopting it", fields)
            dialerSynced = false
            recovery.run(reason: "lead has another live call")
        case .refused(let error):
            failRefusedCall(call, error: error, fields: fields)
        }
    }

    /// Nothing reached the dialer: the lead returns to `pending`, no attempt counted.
    func revertUnplacedCall(_ call: LiveCall, why: String, fields: [String: String]) {
        logger.warning("call not placed (\(why)); lead re-queued without counting an attempt", fields)
        requeueWithoutAttempt(call, note: "call \(call.callId) not placed (\(why)): re-queued, no attempt counted",
                              fields: fields)
        holdForRecheck()
    }

    /// Ends `call` and returns its lead to `pending` without counting an attempt (`note` is the
    /// lead event's text); a failing store holds dispatch.
    func requeueWithoutAttempt(_ call: LiveCall, note: String, fields: [String: String]) {
        endCall(call.callId, at: clock.nowMillis())
        do {
            try applyLeadEvent(.stuckReset(finalCallStatus: nil), leadId: call.leadId, reword: { _ in note },
                               refusal: .warning, fields: fields)
        } catch {
            holdAfterStoreFailure(error, fields)
        }
    }

    /// The dialer refused the call: one failed attempt with its backoff.
    func failRefusedCall(_ call: LiveCall, error: IPCError, fields: [String: String]) {
        logger.warning("dialer refused the call: \(error)", fields)
        processed.insert(callId: call.callId, status: .failed)
        endCall(call.callId, at: clock.nowMillis())
        do {
            try applyLeadEvent(.callUnsuccessful(callId: call.callId, outcome: .failed), leadId: call.leadId,
                               reword: { "dialer refused the call (\(error.message)); " + $0 },
                               refusal: .warning, fields: fields)
        } catch {
            holdAfterStoreFailure(error, fields)
        }
        requestPlan()
    }

    /// Dispatch stops until recovery has checked the dialer again (soon, or when it reconnects).
    func holdForRecheck() {
        dialerSynced = false
        statusLine.refresh()
        guard recheckTimer == nil else { return }
        recheckTimer = loop.schedule(after: recheckDelay) { [weak self] in
            self?.recheckTimer = nil
            self?.recovery.run(reason: "re-check after a start_call without answer")
        }
    }
}
