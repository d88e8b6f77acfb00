import Shared

/// The dialer-daemon's figures for `GET /metrics`, answered to the gateway's `dialer.metrics`
/// command (docs/ipc/dialer.md) as `MetricSnapshotJSON`: calls reaching each status since the
/// start (counted in `CallManager.commit`), live calls, the provider, and the process figures.
enum DialerMetrics {
    static let daemonName = "dialer-daemon"

    static func install(on server: IPCServer, manager: CallManager, provider: String) {
        let registry = MetricsRegistry()
        let calls = registry.counter("ibrat_calls_total", "Calls reaching each status (initiated counts calls placed).",
                                     labels: ["status"])
        for status in CallStatus.allCases { _ = calls.labels(status.rawValue) }
        manager.statusCounter = calls
        ProcessMetrics.install(on: registry, daemon: daemonName)
        registry.addCollector { [weak manager] in
            [
                .gauge("ibrat_calls_active", "Calls in progress (not yet in a final status).",
                       [MetricSeries([], Double(manager?.active.count ?? 0))]),
                .gauge("ibrat_dialer_provider_info", "The call provider in use (value is always 1).",
                       [MetricSeries([("provider", provider)], 1)]),
            ]
        }
        server.onCommand(DialerMetricsBody.self) { _, _, reply in
            reply(.success(MetricSnapshotJSON.encode(registry.snapshot())))
        }
    }
}
