/// Issue 17: the dispatcher explains itself, from `DialabilityDecision` (the function dispatch
/// calls) and the dispatcher's own state.
/// - `dialability(of:)`: one lead's facts (its row, its zones' window, its recent calls, its
///   call-back operator) and the queue's facts → the lead's reasons.
/// - `explain(now:)`: the queue's `QueueExplanation`. Pending leads are counted without looking
///   at them one by one: the scheduler's census gives per zone set how many are due and why the
///   others wait; each group is classified by the decision on the group's facts; then only the
///   few leads that differ from their group are looked at (numbers at the daily cap, booked
///   call-backs), and the do-not-call leads are counted by their partial index.
/// - `refresh()` (after every planning turn, at most every `refreshIntervalSeconds`): publishes
///   `event.queue_explained` when the headline reason changes and logs a notice when the queue
///   becomes idle with leads pending.

import Shared

final class QueueExplainer {
    static let refreshIntervalSeconds = 0.25
    /// Most leads one `queue.explain_leads` may ask about (a page of the lead list).
    static let maxLeadsPerRequest = 100

    // unowned: the dispatcher owns this helper (`dispatcher.explainer`); its timers and callbacks hold the helper weakly.
    private unowned let dispatcher: Dispatcher
    private lazy var throttle = Throttle(loop: dispatcher.loop, minInterval: Self.refreshIntervalSeconds) { [weak self] in
        self?.check()
        return true
    }
    private var published = false
    private var lastReason: String?
    private var wasIdle = false

    init(dispatcher: Dispatcher) {
        self.dispatcher = dispatcher
    }

    private var graceMillis: Int64 { Int64(dispatcher.daemon.config.callbackGraceSeconds) * 1000 }

    // MARK: Facts

    func queueFacts() -> QueueDialFacts {
        let d = dispatcher
        let settings = d.daemon.settings.current
        let decision = d.pacing.lastDecision
        return QueueDialFacts(paused: settings.paused, dialerReady: d.dialer.isConnected && d.dialerSynced,
                              freeLines: settings.maxConcurrentCalls - d.liveCalls.count,
                              operatorAvailable: d.operators.hasFreeOperator
                                  || (!decision.reservesOperators && decision.calls > 0))
    }

    /// One lead's dialability now.
    func dialability(of record: LeadRecord, now: Int64) -> Dialability {
        let d = dispatcher
        let zones = record.timezone.column ?? ""
        var lead = d.gate.leadFacts(SchedulerEntry(id: record.id, priority: record.priority, createdAt: record.createdAt,
                                                   dueAt: record.createdAt, zones: zones), now: now)
        lead.status = record.status
        lead.isActive = record.isActive
        lead.assignedTo = record.assignedTo
        lead.attempts = record.attempts
        lead.doNotCall = record.doNotCall
        lead.nextCallTime = record.nextCallTime
        lead.nextCallTimeIsCapHold = record.holdReason == CallableReason.dailyCap.rawValue
        lead.localTime = d.gate.localTime(zones: zones, now: now)
        if let op = record.callbackOperator, record.snapshot.isCallable {
            let due = record.callbackAt ?? record.nextCallTime ?? record.createdAt
            lead.callback = CallbackFacts(operatorId: op, dueAt: due, graceEndsAt: due + graceMillis,
                                          operatorFree: d.operators.state(of: op)?.isFree ?? false)
        }
        return DialabilityDecision.decide(DialabilityFacts(lead: lead, queue: queueFacts()), now: now, rules: d.gate.rules,
                                          maxAttempts: d.gate.maxAttempts)
    }

    /// The first lead reason (nil: none) and when the lead's rules let it be called.
    private func classify(_ lead: LeadDialFacts, now: Int64) -> (DialabilityReason.Code?, Int64?) {
        let result = DialabilityDecision.decide(DialabilityFacts(lead: lead), now: now, rules: dispatcher.gate.rules,
                                                maxAttempts: dispatcher.gate.maxAttempts)
        return (result.firstLeadReason?.code, result.nextCallableAt)
    }

    // MARK: The queue

    func explain(now: Int64) throws -> QueueExplanation {
        let d = dispatcher
        let settings = d.daemon.settings.current
        var e = QueueExplanation()
        let queue = queueFacts()
        e.paused = queue.paused
        e.dialerReady = queue.dialerReady
        e.operatorAvailable = queue.operatorAvailable
        e.linesInUse = d.liveCalls.count
        e.maxLines = settings.maxConcurrentCalls
        for activity in OperatorActivity.allCases { e.operators[activity] = d.operators.count(activity) }
        let decision = d.pacing.lastDecision
        e.pacingMode = settings.pacingMode.rawValue
        e.effectiveMode = decision.reservesOperators ? PacingMode.progressive.rawValue : PacingMode.predictive.rawValue
        e.pacingReason = decision.reason.rawValue
        let staffed = d.operators.count(.available) + d.operators.count(.onCall) + d.operators.count(.wrapUp)
        e.dialLevel = staffed > 0 ? (Double(e.linesInUse) / Double(staffed) * 100).rounded() / 100 : 0
        e.maxDialLevel = decision.reservesOperators ? 1 : Double(d.pacing.maxLinesPerOperator)

        var next: Int64?
        func wait(_ t: Int64?) { if let t { next = min(next ?? t, t) } }
        func count(_ code: DialabilityReason.Code?, _ n: Int) {
            guard n != 0 else { return }
            if let code { e.byFirstReason[code, default: 0] += n } else { e.ready += n }
        }
        var groupReason: [String: DialabilityReason.Code?] = [:]
        for (zones, counts) in d.scheduler.census(now: now) where counts.total > 0 {
            let base = d.gate.leadFacts(SchedulerEntry(id: "", priority: .medium, createdAt: 0, dueAt: 0, zones: zones),
                                        now: now)
            let (dueReason, dueNext) = classify(base, now: now)
            groupReason[zones] = dueReason
            count(dueReason, counts.due)
            if counts.due > 0 { wait(dueNext) }
            var retry = base
            retry.nextCallTime = now + 1
            count(classify(retry, now: now).0, counts.waiting(.own))
            count(dueReason, counts.waiting(.window))
            var capped = retry
            capped.nextCallTimeIsCapHold = true
            count(classify(capped, now: now).0, counts.waiting(.cap))
            var parked = base
            parked.zoneKnown = false
            count(classify(parked, now: now).0, counts.waiting(.blocked))
            if base.zoneKnown, case .closed(let opensAt?) = base.window,
               counts.due + counts.waiting(.window) + counts.waiting(.cap) > 0,
               opensAt < (e.nextOpening?.at ?? .max) {
                let zone = d.gate.timeZones(zones).first
                e.nextOpening = QueueExplanation.NextOpening(
                    at: opensAt, zones: zones, localTime: zone.map { CallingWindow.localTime(at: opensAt, zone: $0) } ?? zones)
            }
        }
        wait(d.scheduler.nextDueTime(now: now))
        // Due leads at the daily cap differ from their group.
        for leadId in d.gate.recentCalls.atCap {
            guard let entry = d.scheduler.entry(id: leadId), entry.dueAt <= now, entry.hold != .blocked else { continue }
            let (reason, until) = classify(d.gate.leadFacts(entry, now: now), now: now)
            let group = groupReason[entry.zones] ?? nil
            guard reason != group else { continue }
            count(group, -1)
            count(reason, 1)
            wait(until)
        }
        for booking in d.callbacks.ordered {
            let free = d.operators.state(of: booking.operatorId)?.isFree ?? false
            let result = d.callbackDialability(booking, graceMillis: graceMillis, operatorFree: free, now: now)
            count(result.firstLeadReason?.code, 1)
            wait(result.nextCallableAt)
        }
        count(.doNotCall, try pendingDoNotCallCount())
        e.nextDialableAt = e.ready > 0 ? now : next
        return e
    }

    /// Pending, active leads on the do-not-call list (the `leads_do_not_call` partial index).
    private func pendingDoNotCallCount() throws -> Int {
        let row = try dispatcher.daemon.db.queryOne(
            // INDEXED BY: left alone, SQLite picks the status index and visits every pending lead.
            "SELECT count(*) FROM leads INDEXED BY leads_do_not_call WHERE do_not_call = 1 AND status = 'pending' "
                + "AND is_active = 1")
        return Int(row?.int(at: 0) ?? 0)
    }

    // MARK: Changes

    /// Re-explains (throttled) and publishes a changed headline.
    func refresh() { throttle.request() }

    func cancel() { throttle.cancel() }

    private func check() {
        let d = dispatcher
        let now = d.clock.nowMillis()
        guard let e = try? explain(now: now) else { return }
        let reason = e.reason
        if !published || reason != lastReason {
            d.daemon.events.publish(QueueExplainedBody(explanation: DialabilityJSON.explanation(e, now: now).object ?? JSONObject(),
                                                       previousReason: lastReason))
            published = true
            lastReason = reason
        }
        if e.idle && !wasIdle {
            let leads = e.pendingTotal == 1 ? "1 lead" : "\(e.pendingTotal) leads"
            d.logger.notice("queue idle with \(leads) pending: \(e.message(now: now))",
                            ["QUEUE_REASON": reason ?? "-"])
        }
        wasIdle = e.idle
    }
}
