/// How the dispatcher changes a lead: the lead state machine decides (with the daemon's retry
/// policy), `LeadStore.write` stores the transition guarded by `WHERE status = from` together with
/// its `lead_events` row, and only after the commit does the scheduler follow the lead and
/// `event.lead_status_changed` go out. Refusals of the state machine are expected for stale or
/// duplicate reports and are logged, never thrown.

import Shared

extension Dispatcher {
    /// Runs `event` on `lead` and writes the transition; call inside `db.transaction`.
    /// `reword` may replace the reason stored in `lead_events` and published.
    func write(_ event: LeadEvent, to lead: LeadSnapshot, reword: ((String) -> String)? = nil,
               actor: String = DispatchLimits.systemActor, now: Int64) throws -> Result<LeadTransition, LeadTransitionError> {
        switch daemon.machine.apply(event, to: lead, now: now) {
        case .failure(let error):
            return .failure(error)
        case .success(var transition):
            if let reword { transition.reason = reword(transition.reason) }
            if transition.changesAnything {
                try daemon.store.write(transition, on: lead, actor: actor, now: now)
            }
            return .success(transition)
        }
    }

    /// After the commit of `transition` (computed from `lead`): the scheduler follows the lead and a
    /// status change is published. Returns the lead as it is now.
    @discardableResult
    func committed(_ transition: LeadTransition, on lead: LeadSnapshot, actorId: String?,
                   callId: CallID? = nil) -> LeadSnapshot {
        let after = lead.applying(transition)
        scheduler.sync(after)
        if transition.changesStatus {
            let json = (try? daemon.store.json(id: transition.leadId)) ?? .null
            daemon.events.leadStatusChanged(json, from: transition.from, to: transition.to,
                                            reason: transition.reason, actorId: actorId)
            // CALL_ID and USER_ID (the operator) too, so `journalctl CALL_ID=…` finds these lines.
            var fields = ["LEAD_ID": transition.leadId]
            if let callId { fields["CALL_ID"] = callId }
            if let operatorId = after.assignedTo ?? lead.assignedTo { fields["USER_ID"] = operatorId }
            logger.info("lead \(transition.from.rawValue) → \(transition.to.rawValue): \(transition.reason)", fields)
        }
        return after
    }

    /// Applies one event to the lead's current row in its own transaction (outcomes, recovery,
    /// reverts). Returns the transition written; nil when the lead is unknown or the state
    /// machine refused (logged at `refusal`). Throws only when the database fails.
    @discardableResult
    func applyLeadEvent(_ event: LeadEvent, leadId: LeadID, reword: ((String) -> String)? = nil,
                        refusal: LogLevel = .info, fields: [String: String]) throws -> LeadTransition? {
        guard let record = try daemon.store.record(id: leadId) else {
            logger.warning("lead not found for \(event.kind.rawValue)", fields)
            return nil
        }
        let lead = record.snapshot
        let now = clock.nowMillis()
        let result = try daemon.db.transaction { try write(event, to: lead, reword: reword, now: now) }
        switch result {
        case .failure(let error):
            logger.log(refusal, "\(event.kind.rawValue) not applied: \(error)", fields)
            return nil
        case .success(let transition):
            committed(transition, on: lead, actorId: nil, callId: event.callId)
            return transition
        }
    }
}
