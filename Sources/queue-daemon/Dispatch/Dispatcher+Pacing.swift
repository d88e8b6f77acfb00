/// Predictive pacing, wrap-up and operator states in the dispatcher (issue 14, docs/PACING.md):
/// - `planActions` asks `PacingModel` (through `PacingController`) how many calls to place:
///   progressive decisions go to the planner as before (one reserved operator per call),
///   predictive ones place calls without an operator (`DispatchPlanner.planPaced`).
/// - A person answering a predictive call: the lead becomes `answered` and the call waits for the
///   least-recently-busy free operator (`dialer.connect_call`); the dialer abandons it after the
///   abandon wait if none came (`abandoned` report → the lead is retried, no attempt counted).
/// - Wrap-up: a conversation's operator is in `wrap_up` until the call's outcome comes in
///   (`event.call_updated` from the dialer) or the wrap-up time passes (one timer, the earliest).
/// - Operator states are written to `operator_states` when they change and published as
///   `event.operator_state_changed {operatorId, state, previousState, callId}`.

import Shared

extension Dispatcher {

    /// Start-up: the abandon-rate window from `calls`, the operator states as they are now.
    func loadPacing(now: Int64) throws {
        pacing.abandons.load(try reader.abandonCounts(since: pacing.abandons.windowStartMillis(now: now)), now: now)
        for call in liveCalls.all where call.mode == .automatic {
            pacing.placed(callId: call.callId, reserved: call.operatorId != nil, at: call.startTime)
        }
        pacing.writtenStates = [:]
    }

    /// The planner's actions for this turn, progressive or predictive.
    func planActions(settings: QueueSettings, now: Int64) -> [DispatchAction] {
        let decision = pacing.decide(settings: settings, operators: operators, activeCalls: liveCalls.count, now: now)
        if decision.reservesOperators {
            return planner.plan(paused: settings.paused, activeCalls: liveCalls.count,
                                maxConcurrentCalls: settings.maxConcurrentCalls,
                                scheduler: scheduler, operators: operators, now: now, gate: gate)
        }
        return planner.planPaced(paused: settings.paused, calls: decision.calls, scheduler: scheduler, now: now,
                                 gate: gate)
    }

    /// Before planning: wrap-ups past their time end, waiting calls get the operators now free.
    func pacingBeforePlan(now: Int64) {
        for id in operators.expiredWrapUps(now: now) { endWrapUp(id, event: .wrapUpExpired, now: now) }
        connectWaitingCalls(now: now)
    }

    /// After planning: operator states written and published, the wrap-up timer armed.
    func pacingAfterPlan() {
        syncOperatorStates()
        armWrapUpTimer()
    }

    // MARK: Answers and connections

    /// A person answered an automatic call. Returns true when pacing took it over (predictive:
    /// no operator was reserved); false leaves it to the reserved-operator path.
    func pacedAnswered(_ report: CallReport, fields: [String: String]) throws -> Bool {
        guard report.mode == .automatic else { return false }
        let now = clock.nowMillis()
        guard pacing.humanAnswered(callId: report.callId, leadId: report.leadId, at: now) else { return false }
        try applyLeadEvent(.callAnswered(callId: report.callId), leadId: report.leadId, fields: fields)
        connectWaitingCalls(now: now)
        return true
    }

    func connectWaitingCalls(now: Int64) {
        guard dialer.isConnected else { return }
        while let call = pacing.nextWaiting(excluding: pacing.connecting), let op = operators.pickLeastRecentlyBusy() {
            guard operators.reserve(op, callId: call.callId, at: now) else { break }
            pacing.connecting.insert(call.callId)
            let phone = (try? reader.user(id: op)?.phone).flatMap { $0.isEmpty ? nil : $0 }
            dialer.request(ConnectCallBody(callId: call.callId, operatorId: op, operatorPhone: phone)) { [weak self] result in
                self?.daemon.writeGate.perform { [weak self] in self?.connectAnswered(result, call: call, operatorId: op) }
            }
        }
    }

    private func connectAnswered(_ result: Result<JSONObject, IPCError>, call: WaitingCall, operatorId: OperatorID) {
        pacing.connecting.remove(call.callId)
        let fields = ["LEAD_ID": call.leadId, "CALL_ID": call.callId, "USER_ID": operatorId]
        let now = clock.nowMillis()
        guard case .success = result else {
            operators.release(callId: call.callId, at: now)
            logger.info("answered call could not be connected (abandoned or ended meanwhile)", fields)
            return requestPlan()
        }
        pacing.connected(callId: call.callId, at: now)
        logger.notice("answered call connected to operator after \(now - call.answeredAt) ms", fields)
        do {
            try applyLeadEvent(.callConnected(callId: call.callId, operatorId: operatorId), leadId: call.leadId,
                               fields: fields)
            let json = (try? daemon.store.json(id: call.leadId)) ?? .null
            daemon.events.publish(LeadAssignedBody(lead: json, operatorId: operatorId, callId: call.callId))
        } catch {
            holdAfterStoreFailure(error, fields)
        }
        requestPlan()
    }

    /// Frees the call's operator, into wrap-up after a conversation.
    func endPacedCall(_ callId: CallID, status: CallStatus?, at now: Int64) {
        let wrap = status.map { pacing.ended(callId: callId, status: $0, answeredAt: nil, at: now) } ?? 0
        operators.release(callId: callId, at: now, wrapUpMillis: wrap)
    }

    // MARK: Wrap-up

    /// `event.call_updated {call, actorId}`: an operator submitted a call's outcome.
    func callUpdated(_ event: CallEventBody) {
        let call = event.call
        guard let callId = call["id"]?.string,
              let op = call["salesperson"]?.string else { return }
        daemon.writeGate.perform { [weak self] in
            guard let self else { return }
            self.endWrapUp(op, event: .outcomeSubmitted(callId), now: self.clock.nowMillis())
            self.requestPlan()
        }
    }

    func endWrapUp(_ id: OperatorID, event: OperatorEvent, now: Int64) {
        let wrap = operators.state(of: id)?.wrapUp
        guard operators.apply(event, to: id, at: now), let wrap else { return }
        pacing.stats.recordWrapUp(millis: now - (wrap.until - pacing.wrapUpMillis))
        connectWaitingCalls(now: now)
    }

    private func armWrapUpTimer() {
        guard let deadline = operators.nextWrapUpDeadline else { pacing.wrapUpTimer?.cancel(); return }
        let delay = Double(max(0, deadline - clock.nowMillis())) / 1000
        if let timer = pacing.wrapUpTimer {
            timer.arm(after: delay)
        } else {
            pacing.wrapUpTimer = loop.schedule(after: delay) { [weak self] in self?.requestPlan() }
        }
    }

    // MARK: Operator states

    /// Writes and publishes every operator whose activity changed since the last write.
    func syncOperatorStates() {
        let now = clock.nowMillis()
        var changes: [(OperatorID, OperatorActivity, OperatorActivity?, OperatorState)] = []
        for (id, activity) in operators.activities where pacing.writtenStates[id] != activity {
            guard let state = operators.state(of: id) else { continue }
            changes.append((id, activity, pacing.writtenStates[id], state))
        }
        guard !changes.isEmpty else { return }
        do {
            try daemon.db.transaction {
                for (id, activity, _, state) in changes {
                    _ = try daemon.db.run("""
                        INSERT INTO operator_states(user_id, state, call_id, since, wrap_up_until) VALUES(?, ?, ?, ?, ?)
                        ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, call_id = excluded.call_id,
                          since = excluded.since, wrap_up_until = excluded.wrap_up_until
                        """, [.text(id), .text(activity.rawValue), (state.onCall ?? state.wrapUp?.callId).map { .text($0) } ?? .null,
                              .int(now), state.wrapUp.map { .int($0.until) } ?? .null])
                }
            }
        } catch {
            return logger.error("cannot write operator states: \(error)")
        }
        for (id, activity, previous, state) in changes {
            pacing.writtenStates[id] = activity
            let callId = state.onCall ?? state.wrapUp?.callId
            daemon.events.publish(OperatorStateChangedBody(
                operatorId: id, state: activity.rawValue, previousState: previous?.rawValue, callId: callId,
                wrapUpUntil: state.wrapUp.map { Timestamp.iso8601(millis: $0.until) }))
        }
    }
}
