/// What the dispatcher reports about itself: the systemd `STATUS=` line (`dialing 3/5, 120
/// pending, paused=no`, sent when it changes and at most once a second) and the dispatch part of
/// `get_queue_status` (`activeCalls`, due `pendingLeads`, not-yet-due `waitingLeads`,
/// `freeOperators`, SLA misses per priority, `dispatched`, and the live calls with their duration).

import Shared

final class QueueStatusLine {
    // unowned: the dispatcher owns this helper (`dispatcher.statusLine`); its timers and callbacks hold the helper weakly.
    private unowned let dispatcher: Dispatcher
    private var lastSent: String?
    private var lastSentAt: Double = -.infinity
    private var timer: TimerSource?
    /// The line as last computed (tests read it; `SystemdNotify` ignores it without systemd).
    private(set) var current = ""

    init(dispatcher: Dispatcher) {
        self.dispatcher = dispatcher
    }

    /// Recomputes the line; sends it now, or once the one-second interval has passed.
    func refresh() {
        current = text()
        guard current != lastSent, timer == nil else { return }
        let wait = lastSentAt + DispatchLimits.statusLineIntervalSeconds - MonotonicClock.seconds()
        if wait <= 0 { return send() }
        timer = dispatcher.loop.schedule(after: wait) { [weak self] in
            self?.timer = nil
            self?.current = self?.text() ?? ""
            self?.send()
        }
    }

    func cancel() {
        timer?.cancel()
        timer = nil
    }

    private func send() {
        guard current != lastSent else { return }
        lastSent = current
        lastSentAt = MonotonicClock.seconds()
        _ = SystemdNotify.status(current)
    }

    func text() -> String {
        let d = dispatcher
        let settings = d.daemon.settings.current
        let pending = d.scheduler.dueCount(now: d.clock.nowMillis())
        var line = "dialing \(d.liveCalls.count)/\(settings.maxConcurrentCalls), \(pending) pending, "
            + "paused=\(settings.paused ? "yes" : "no")"
        if !d.dialer.isConnected {
            line += ", dialer unreachable"
        } else if !d.dialerSynced {
            line += ", dialer resyncing"
        }
        return line
    }

    /// The dispatch fields of `get_queue_status` and the live calls list.
    func details() -> (status: JSONObject, activeCalls: [JSON]) {
        let d = dispatcher
        let now = d.clock.nowMillis()
        let due = d.scheduler.dueCount(now: now)
        var misses = JSONObject()
        for priority in [LeadPriority.urgent, .high, .medium] {
            misses[priority.rawValue] = .int(Int64(d.scheduler.slaMisses(priority)))
        }
        misses["total"] = .int(Int64(d.scheduler.slaMissCount))
        let calls: [JSON] = d.liveCalls.all.map { call in
            .object(JSONObject([
                ("leadId", .string(call.leadId)), ("salespersonId", JSON.from(call.operatorId)),
                ("callId", .string(call.callId)), ("mode", .string(call.mode.rawValue)),
                ("startTime", .string(Timestamp.iso8601(millis: call.startTime))),
                ("duration", .int(max(0, now - call.startTime))),
            ]))
        }
        let status = JSONObject([
            ("activeCalls", .int(Int64(d.liveCalls.count))),
            ("pendingLeads", .int(Int64(due))),
            ("waitingLeads", .int(Int64(d.scheduler.count - due))),
            ("freeOperators", .int(Int64(d.operators.freeCount))),
            ("operators", .int(Int64(d.operators.count))),
            ("slaMisses", .object(misses)),
            ("dispatched", .int(Int64(d.scheduler.dispatchCount))),
            ("dialerConnected", .bool(d.dialer.isConnected)),
            ("dialerSynced", .bool(d.dialerSynced)),
        ])
        return (status, calls)
    }
}
