import Shared

/// One scrape of the two daemons: `queue.metrics` and `dialer.metrics` are sent at once and the
/// answers gathered; a daemon that is not connected is not asked (no waiting for a reconnect), and
/// one that fails or does not answer within `timeoutSeconds` is reported as
/// `ibrat_daemon_up{daemon} 0` with none of its figures (never stale ones).
enum DaemonMetricsScrape {
    /// Longest wait for a daemon's figures.
    static let timeoutSeconds = 1.0

    /// Sends the peer's metrics command (`queue.metrics` / `dialer.metrics`).
    static func requestMetrics(_ peer: IPCPeer, on client: IPCClient, timeout: Double,
                               completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        switch peer {
        case .queue: client.request(QueueMetricsBody(), timeout: timeout, completion: completion)
        case .dialer: client.request(DialerMetricsBody(), timeout: timeout, completion: completion)
        }
    }

    /// Calls `completion` on the loop with every daemon's families (or its `up 0` series).
    static func run(clients: [(IPCPeer, IPCClient)], timeout: Double,
                    completion: @escaping ([MetricFamilySnapshot]) -> Void) {
        var results = [[MetricFamilySnapshot]?](repeating: nil, count: clients.count)
        var remaining = clients.count
        guard remaining > 0 else { return completion([]) }
        for (index, (peer, client)) in clients.enumerated() {
            let finish = { (families: [MetricFamilySnapshot]) in
                results[index] = families
                remaining -= 1
                if remaining == 0 { completion(results.flatMap { $0 ?? [] }) }
            }
            guard client.isConnected else {
                finish([down(peer)])
                continue
            }
            requestMetrics(peer, on: client, timeout: timeout) { result in
                switch result {
                case .success(let body):
                    let families = MetricSnapshotJSON.decode(body)
                    finish(families.isEmpty ? [down(peer)] : families)
                case .failure:
                    finish([down(peer)])
                }
            }
        }
    }

    static func down(_ peer: IPCPeer) -> MetricFamilySnapshot {
        .gauge("ibrat_daemon_up", "1 when the daemon answered this scrape, 0 when it is down or did not answer.",
               [MetricSeries([("daemon", peer.daemonName)], 0)])
    }
}
