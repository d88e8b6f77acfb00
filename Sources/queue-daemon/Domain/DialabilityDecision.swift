/// "Why is this lead not dialing?" (issue 17) as one pure decision: given what is true about a
/// lead and the queue at one instant (`DialabilityFacts`), every reason that keeps the lead from
/// being dialed now, in the order dispatch checks them, whether it is callable, and the earliest
/// time its own rules let it be called. The dispatcher calls it for every candidate (the planner
/// through `DispatchRulesGate`, the call-back path directly) and dials only a `callable` lead; the
/// lead JSON's `dialability` and `GET /api/admin/queue/explain` are rendered from it, so the
/// explanation cannot disagree with what the dialer does.
///
/// Order (the queue's switches, then what lasts, then the waits, then the queue's resources):
/// `paused`, `dialer_unavailable`, `not_pending`, `claimed`, `do_not_call`, `callback_reserved`,
/// `unknown_timezone`, `retry_wait`, `outside_calling_hours`, `daily_cap`, `max_attempts`,
/// `waiting_for_line`, `waiting_for_operator`. A reason that cannot be judged is not reported: a
/// lead with an unknown zone is neither inside nor outside its hours; a booked call-back does not
/// need a zone (a person chose its time) and waits as `callback_reserved`, not `retry_wait`. A
/// lead that is not pending gets `not_pending` (or `claimed`), `do_not_call` and, when it failed
/// after its last attempt, `max_attempts`, and nothing about hours or resources. A pending lead at
/// or past the maximum still gets the one call that ends it (`RetryPolicy`), so `max_attempts`
/// never holds a pending lead.

enum DialabilityDecision {
    static func decide(_ facts: DialabilityFacts, now: Int64, rules: DialingRules, maxAttempts: Int) -> Dialability {
        let lead = facts.lead, queue = facts.queue
        let pending = lead.status == .pending && lead.isActive
        var reasons: [DialabilityReason] = []
        if pending {
            if queue.paused { reasons.append(DialabilityReason(.paused)) }
            if !queue.dialerReady { reasons.append(DialabilityReason(.dialerUnavailable)) }
        }
        if lead.status == .claimed {
            reasons.append(DialabilityReason(.claimed, detail: lead.assignedTo))
        } else if !pending {
            reasons.append(DialabilityReason(.notPending, detail: lead.isActive ? lead.status.rawValue : "deleted"))
        } else if let holder = lead.assignedTo {
            reasons.append(DialabilityReason(.claimed, detail: holder))
        }
        if lead.doNotCall { reasons.append(DialabilityReason(.doNotCall)) }
        guard pending else {
            if lead.status == .failed && lead.attempts >= maxAttempts { reasons.append(DialabilityReason(.maxAttempts)) }
            return Dialability(reasons: reasons, nextCallableAt: nil)
        }
        var waits: [Int64] = []
        let reservation = activeReservation(lead.callback, now: now)
        if let callback = reservation {
            let until = now < callback.dueAt ? callback.dueAt : callback.graceEndsAt
            if now < callback.dueAt || !callback.operatorFree {
                reasons.append(DialabilityReason(.callbackReserved, until: until, detail: callback.operatorId))
                waits.append(until)
            }
        } else {
            if !lead.zoneKnown { reasons.append(DialabilityReason(.unknownTimezone)) }
            if let next = lead.nextCallTime, next > now, !lead.nextCallTimeIsCapHold {
                reasons.append(DialabilityReason(.retryWait, until: next))
                waits.append(next)
            }
        }
        if lead.zoneKnown, case .closed(let opensAt) = lead.window {
            reasons.append(DialabilityReason(.outsideCallingHours, until: opensAt, localTime: lead.localTime))
            waits.append(opensAt ?? now + DialingRules.noOpeningRecheckMillis)
        }
        if let release = capRelease(lead, now: now, rules: rules) {
            reasons.append(DialabilityReason(.dailyCap, until: release))
            waits.append(release)
        }
        if queue.freeLines <= 0 { reasons.append(DialabilityReason(.waitingForLine)) }
        if !queue.operatorAvailable && reservation == nil { reasons.append(DialabilityReason(.waitingForOperator)) }
        let lasting = reasons.contains { $0.isLasting }
        return Dialability(reasons: reasons, nextCallableAt: lasting ? nil : waits.max())
    }

    /// The reservation still in force: a call-back past its grace is anyone's lead.
    private static func activeReservation(_ callback: CallbackFacts?, now: Int64) -> CallbackFacts? {
        guard let callback, now < callback.graceEndsAt else { return nil }
        return callback
    }

    /// When the per-number cap lets the number be called again: from the calls of the last 24
    /// hours, or the hold stored for it (whichever is later); nil when it is not capped.
    private static func capRelease(_ lead: LeadDialFacts, now: Int64, rules: DialingRules) -> Int64? {
        let stored = lead.nextCallTimeIsCapHold ? lead.nextCallTime.flatMap { $0 > now ? $0 : nil } : nil
        let measured = rules.capReleaseTime(lead.recentCallTimes, now: now)
        switch (stored, measured) {
        case (nil, nil): return nil
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (let a?, let b?): return max(a, b)
        }
    }

    /// The dialing rules' verdict for a lead that dispatch holds in its queue (the planner's
    /// `DialingGate`): dial when callable; a lasting lead reason blocks it; otherwise it waits
    /// until `nextCallableAt`. Queue-wide reasons are the planner's own loop conditions.
    static func dialingDecision(_ dialability: Dialability, now: Int64) -> DialingDecision {
        guard let first = dialability.firstLeadReason else { return .dial }
        if let lasting = dialability.reasons.first(where: { $0.isLasting }) {
            return .block(callableReason(lasting.code) ?? .doNotCall)
        }
        let until = max(now + 1, dialability.nextCallableAt ?? now + DialingRules.noOpeningRecheckMillis)
        return .hold(until: until, reason: callableReason(first.code) ?? .outsideCallingWindow)
    }

    /// The issue-12 `CallableReason` a reason is stored and logged as.
    static func callableReason(_ code: DialabilityReason.Code) -> CallableReason? {
        switch code {
        case .doNotCall: return .doNotCall
        case .unknownTimezone: return .unknownTimezone
        case .outsideCallingHours, .retryWait, .callbackReserved: return .outsideCallingWindow
        case .dailyCap: return .dailyCap
        default: return nil
        }
    }
}
