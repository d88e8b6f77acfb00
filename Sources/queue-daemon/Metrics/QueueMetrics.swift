import Shared

/// The queue-daemon's figures for `GET /metrics`, answered to the gateway's `queue.metrics`
/// command (docs/ipc/queue.md) as `MetricSnapshotJSON`. Almost everything is read when asked
/// from state the dispatcher keeps anyway (scheduler counts, operator pool, live calls,
/// settings), so dispatching itself pays only the due-to-dial histogram update and the IPC
/// client's counters. Loop thread only.
final class QueueMetrics {
    static let daemonName = "queue-daemon"

    let registry = MetricsRegistry()

    /// Builds the registry around `dispatcher` and registers `queue.metrics` on the daemon.
    @discardableResult
    static func install(on daemon: QueueDaemon, dispatcher: Dispatcher) -> QueueMetrics {
        let metrics = QueueMetrics()
        ProcessMetrics.install(on: metrics.registry, daemon: daemonName)
        let ipc = IPCClientMetrics.Families(registry: metrics.registry)
        dispatcher.dialer.metrics = IPCClientMetrics(ipc, daemon: daemonName, peer: DispatchLimits.dialerPeerName)
        metrics.registry.addCollector { [weak dispatcher] in dispatcher.map(Self.dispatchFamilies) ?? [] }
        daemon.registerCommand(QueueMetricsBody.self) { _, reply in
            reply(.success(MetricSnapshotJSON.encode(metrics.registry.snapshot())))
        }
        return metrics
    }

    static func dispatchFamilies(_ d: Dispatcher) -> [MetricFamilySnapshot] {
        let now = d.clock.nowMillis()
        let settings = d.daemon.settings.current
        let priorities = LeadPriority.allCases.sorted()
        let byPriority = { (value: (LeadPriority) -> Double) in priorities.map { MetricSeries([("priority", $0.rawValue)], value($0)) } }
        let due = d.scheduler.dueCount(now: now)
        let operators = d.operators.stateCounts
        let dueToDial = priorities.map {
            MetricSeries(labels: [MetricLabel("priority", $0.rawValue)], value: .histogram(d.scheduler.dueToDial[$0.rank].snapshot))
        }
        return [
            .counter("ibrat_dispatch_decisions_total", "Leads the auto-dialer chose to dial, by priority.",
                     byPriority { Double(d.scheduler.dispatchCount($0)) }),
            .counter("ibrat_sla_misses_total", "Leads dialed after their priority's deadline, by priority.",
                     byPriority { Double(d.scheduler.slaMisses($0)) }),
            MetricFamilySnapshot(name: "ibrat_dispatch_due_to_dial_seconds",
                                 help: "Time from a lead becoming due to the auto-dialer dialing it, in seconds.",
                                 type: .histogram, series: dueToDial),
            .gauge("ibrat_queue_due_leads", "Dispatchable leads already due, by priority.",
                   byPriority { Double(d.scheduler.dueCount($0, now: now)) }),
            .gauge("ibrat_queue_waiting_leads", "Dispatchable leads not yet due (retry back-off or scheduled).",
                   [MetricSeries([], Double(d.scheduler.count - due))]),
            .gauge("ibrat_queue_paused", "1 while the queue is paused.", [MetricSeries([], settings.paused ? 1 : 0)]),
            .gauge("ibrat_lines", "Call lines: the maximum of concurrent calls, and those in use.", [
                MetricSeries([("state", "max")], Double(settings.maxConcurrentCalls)),
                MetricSeries([("state", "busy")], Double(d.liveCalls.count)),
            ]),
            .gauge("ibrat_operators", "Operators known to the dispatcher, by state.", [
                MetricSeries([("state", "free")], Double(operators.free)),
                MetricSeries([("state", "on_call")], Double(operators.onCall)),
                MetricSeries([("state", "wrap_up")], Double(operators.wrapUp)),
                MetricSeries([("state", "unavailable")], Double(operators.unavailable)),
                MetricSeries([("state", "inactive")], Double(operators.inactive)),
            ]),
        ] + pacingFamilies(d, now: now, operators: operators) + [
            .gauge("ibrat_dialer_synced", "1 when the queue-daemon is connected and reconciled with the dialer-daemon.",
                   [MetricSeries([], d.dialer.isConnected && d.dialerSynced ? 1 : 0)]),
        ]
    }

    /// Issue 14: the abandon rate (abandoned / live-answered automatic calls) over the UTC day and
    /// the rolling 30 days (0 before any answer; the counts beside it say how many), its cap, the
    /// dial level and the pacing mode.
    static func pacingFamilies(_ d: Dispatcher, now: Int64,
                               operators: (free: Int, onCall: Int, wrapUp: Int, unavailable: Int, inactive: Int))
        -> [MetricFamilySnapshot] {
        let pacing = d.pacing
        let settings = d.daemon.settings.current
        let windows = [("day", pacing.abandons.today(now: now)), ("30d", pacing.abandons.window(now: now))]
        let staffed = operators.free + operators.onCall + operators.wrapUp
        let level = staffed == 0 ? 0 : Double(pacing.callsInFlight) / Double(staffed)
        return [
            .gauge("ibrat_abandon_rate", "Abandoned / live-answered automatic calls, by window (UTC day, rolling 30 days); 0 before any answer.",
                   windows.map { MetricSeries([("window", $0.0)], AbandonRateWindow.rate($0.1) ?? 0) }),
            .gauge("ibrat_abandon_rate_cap", "The abandon-rate cap of predictive pacing (fraction).",
                   [MetricSeries([], settings.maxAbandonRate)]),
            .gauge("ibrat_answered_calls", "Automatic calls a person answered, by window (the abandon rate's denominator).",
                   windows.map { MetricSeries([("window", $0.0)], Double($0.1.answered)) }),
            .gauge("ibrat_abandoned_calls", "Answered automatic calls abandoned (no operator within the wait), by window.",
                   windows.map { MetricSeries([("window", $0.0)], Double($0.1.abandoned)) }),
            .gauge("ibrat_pacing_dial_level", "Automatic calls in progress per staffed operator (free, on a call or in wrap-up).",
                   [MetricSeries([], level)]),
            .gauge("ibrat_pacing_waiting_calls", "Answered predictive calls waiting for an operator.",
                   [MetricSeries([], Double(pacing.waitingCount))]),
            .gauge("ibrat_pacing_predictive", "1 while calls are paced predictively, by setting (`configured`) and in effect (`effective`).", [
                MetricSeries([("setting", "configured")], settings.pacingMode == .predictive ? 1 : 0),
                MetricSeries([("setting", "effective")], pacing.effectiveMode == .predictive ? 1 : 0),
            ]),
        ]
    }
}
