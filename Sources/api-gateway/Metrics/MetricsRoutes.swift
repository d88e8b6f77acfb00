import Shared

/// `GET /metrics` (issue 15): the gateway's own figures plus those the queue-daemon and
/// dialer-daemon report over IPC (`queue.metrics`, `dialer.metrics`), merged into one exposition
/// in the Prometheus text format 0.0.4, or OpenMetrics 1.0 when `Accept` asks for
/// `application/openmetrics-text`. Served to loopback and `IBRAT_METRICS_ALLOW` peers, or with an
/// admin token (`MetricsAccess`); not rate limited (`GatewayPipeline.isRateLimitExempt`).
/// Registering the module installs the gateway's scrape-time collectors (Socket.IO sessions by
/// transport, leads by status and priority) and its IPC clients' metrics.
struct MetricsRoutes: RouteModule {
    static let path = "/metrics"

    let ctx: GatewayContext

    init(ctx: GatewayContext) { self.ctx = ctx }

    func register(on router: Router) {
        let metrics = ctx.metrics
        for peer in IPCPeer.allCases where ctx.client(peer).metrics == nil {
            ctx.client(peer).metrics = IPCClientMetrics(metrics.ipc, daemon: GatewayMetrics.daemonName, peer: peer.daemonName)
        }
        if !metrics.collectorsInstalled {
            metrics.collectorsInstalled = true
            let leads = LeadMetricsQuery(db: ctx.db, worker: LeadReadWorker(loop: ctx.loop, path: ctx.db.path))
            metrics.registry.addCollector { [weak ctx] in
                guard let ctx else { return [] }
                var families = [Self.socketIOFamily(ctx)]
                if let family = leads.family() { families.append(family) }
                return families
            }
        }
        let access = MetricsAccess(allow: ctx.config.metricsAllow)
        ctx.route(router, "GET", Self.path, access: .public) { [ctx] request, responder in
            if access.decide(remoteAddress: request.remoteAddress) == .needsAdminToken {
                do { try MetricsAccess.requireAdmin(request, auth: ctx.auth) } catch { return ctx.fail(responder, error) }
            }
            let format = PrometheusTextEncoder.Format.negotiate(accept: request.header("Accept"))
            let own = metrics.registry.snapshot()
            let timeout = min(DaemonMetricsScrape.timeoutSeconds, Double(ctx.config.ipcTimeoutMillis) / 1000)
            DaemonMetricsScrape.run(clients: IPCPeer.allCases.map { ($0, ctx.client($0)) }, timeout: timeout) { daemons in
                let text = PrometheusTextEncoder.encodeBytes(MetricSnapshotJSON.merge(own + daemons), format: format)
                var response = HTTPResponse.bytes(200, text, contentType: format.contentType)
                response.headers.set("Cache-Control", "no-store")
                responder.send(response)
            }
        }
    }

    /// `ibrat_socketio_sessions{transport}` (Engine.IO sessions, authenticated or not) and the
    /// authenticated Socket.IO connections.
    static func socketIOFamily(_ ctx: GatewayContext) -> MetricFamilySnapshot {
        var polling = 0, webSocket = 0
        if let realtime = RealtimeModule.active(for: ctx) {
            for session in realtime.engine.sessions.values {
                if session.transport == .polling { polling += 1 } else { webSocket += 1 }
            }
        }
        return .gauge("ibrat_socketio_connections", "Open Socket.IO (Engine.IO) sessions by transport.", [
            MetricSeries([("transport", "polling")], Double(polling)),
            MetricSeries([("transport", "websocket")], Double(webSocket)),
        ])
    }
}
