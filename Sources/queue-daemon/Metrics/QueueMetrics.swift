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
        daemon.registerCommand(.metrics) { _, reply in
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
                MetricSeries([("state", "unavailable")], Double(operators.unavailable)),
                MetricSeries([("state", "inactive")], Double(operators.inactive)),
            ]),
            .gauge("ibrat_dialer_synced", "1 when the queue-daemon is connected and reconciled with the dialer-daemon.",
                   [MetricSeries([], d.dialer.isConnected && d.dialerSynced ? 1 : 0)]),
        ]
    }
}
