/// Per-connection figures of an `IPCClient` (`client.metrics = IPCClientMetrics(...)`): requests
/// by outcome, their latency, reconnections and whether the peer is connected now. The series carry
/// `daemon` (the client's process) and `peer` (the daemon it talks to) labels; the families are
/// created once per registry (`IPCClientMetrics.Families`) and shared by that process's clients.
public final class IPCClientMetrics {
    public final class Families {
        let requests: MetricFamily<Counter>
        let duration: MetricFamily<Histogram>
        let reconnects: MetricFamily<Counter>

        public init(registry: MetricsRegistry) {
            requests = registry.counter("ibrat_ipc_requests_total",
                                        "IPC requests sent to another daemon, by outcome (ok, error, unreachable, timeout).",
                                        labels: ["daemon", "peer", "outcome"])
            duration = registry.histogram("ibrat_ipc_request_duration_seconds",
                                          "Time from sending an IPC request to its answer, in seconds.",
                                          labels: ["daemon", "peer"], buckets: Histogram.latencySeconds)
            reconnects = registry.counter("ibrat_ipc_reconnects_total",
                                          "IPC connections re-established after the first one.", labels: ["daemon", "peer"])
        }
    }

    private let ok: Counter
    private let error: Counter
    private let unreachable: Counter
    private let timeout: Counter
    private let duration: Histogram
    private let reconnects: Counter
    private var connections = 0

    public init(_ families: Families, daemon: String, peer: String) {
        ok = families.requests.labels(daemon, peer, "ok")
        error = families.requests.labels(daemon, peer, "error")
        unreachable = families.requests.labels(daemon, peer, "unreachable")
        timeout = families.requests.labels(daemon, peer, "timeout")
        duration = families.duration.labels(daemon, peer)
        reconnects = families.reconnects.labels(daemon, peer)
    }

    /// A request finished after `seconds` with `result` (the IPC layer's own failures by code).
    public func finished(_ result: Result<JSONObject, IPCError>, seconds: Double) {
        switch result {
        case .success:
            ok.inc()
        case .failure(let failure) where failure.has(.peerUnreachable):
            unreachable.inc()
        case .failure(let failure) where failure.has(.peerTimeout):
            timeout.inc()
        case .failure:
            error.inc()
        }
        duration.observe(seconds)
    }

    /// A handshake completed.
    public func connected() {
        connections += 1
        if connections > 1 { reconnects.inc() }
    }
}
