/// Dialing booked call-backs (issue 12) for the operator who booked them, before the EDF
/// planner runs: a due call-back whose operator is free takes a line with that operator
/// (`event.callback_due {lead, operatorId, callId}` tells the operator's panel); one whose
/// operator stays busy past the grace is released to anyone (its lead event says so) and joins
/// the scheduler. The dialing rules still apply (window, do-not-call list, daily cap; an unknown
/// zone does not stop a call-back a person booked). Returns when to look again.

import Shared

extension Dispatcher {

    func planCallbacks(now: Int64, paused: Bool, maxConcurrentCalls: Int) -> Int64? {
        guard !paused, callbacks.count > 0 else { return nil }
        var wake: Int64?
        func wakeAt(_ t: Int64) { wake = min(wake ?? t, t) }
        let grace = Int64(daemon.config.callbackGraceSeconds) * 1000
        for booking in callbacks.ordered {
            let free = operators.state(of: booking.operatorId)?.isFree ?? false
            let lineFree = liveCalls.count < maxConcurrentCalls
            switch CallbackRules.decide(dueAt: booking.dueAt, graceMillis: grace, operatorFree: free && lineFree, now: now) {
            case .wait(let until):
                wakeAt(until)
            case .releaseToAnyone:
                releaseCallback(booking, now: now)
            case .dialForOperator:
                let dialability = callbackDialability(booking, graceMillis: grace, operatorFree: true, now: now)
                guard dialability.callable else {
                    if let until = dialability.nextCallableAt { wakeAt(min(until, booking.dueAt + grace)) }
                    continue
                }
                let callId = ObjectID.generate(nowMillis: now)
                guard operators.reserve(booking.operatorId, callId: callId, at: now) else { continue }
                callbacks.remove(booking.leadId)
                startAutomaticCall(leadId: booking.leadId, operatorId: booking.operatorId, callId: callId, now: now,
                                   reservedFor: booking.operatorId)
                if liveCalls.call(id: callId) != nil {
                    let json = (try? daemon.store.json(id: booking.leadId)) ?? .null
                    daemon.events.publish(LeadAssignedBody(.callbackDue, lead: json, operatorId: booking.operatorId,
                                                           callId: callId))
                }
            }
        }
        return wake
    }

    /// `DialabilityDecision` for a booked call-back (issue 17): the same rules as every lead, with
    /// its reservation (an unknown zone does not stop it; a person chose the time).
    func callbackDialability(_ booking: CallbackBook.Booking, graceMillis: Int64, operatorFree: Bool,
                             now: Int64) -> Dialability {
        var lead = gate.leadFacts(SchedulerEntry(id: booking.leadId, priority: .medium, createdAt: 0, dueAt: 0,
                                                 zones: booking.zones), now: now)
        lead.callback = CallbackFacts(operatorId: booking.operatorId, dueAt: booking.dueAt,
                                      graceEndsAt: booking.dueAt + graceMillis, operatorFree: operatorFree)
        return DialabilityDecision.decide(DialabilityFacts(lead: lead), now: now, rules: gate.rules,
                                          maxAttempts: gate.maxAttempts)
    }

    private func releaseCallback(_ booking: CallbackBook.Booking, now: Int64) {
        callbacks.remove(booking.leadId)
        do {
            let released = try daemon.db.transaction {
                try daemon.store.releaseCallback(id: booking.leadId, operatorId: booking.operatorId, now: now)
            }
            guard released, let record = try daemon.store.record(id: booking.leadId) else { return }
            logger.info("call-back not taken by its operator within the grace: now dialed by anyone",
                        ["LEAD_ID": booking.leadId, "USER_ID": booking.operatorId])
            scheduler.sync(record.snapshot)
            daemon.events.leadUpdated(try daemon.store.json(id: booking.leadId), actorId: DispatchLimits.systemActor,
                                      fields: ["callbackMine"])
        } catch {
            holdAfterStoreFailure(error, ["LEAD_ID": booking.leadId])
        }
    }
}
