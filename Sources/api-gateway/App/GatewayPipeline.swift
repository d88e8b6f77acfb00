import Shared

/// The per-request middleware chain in front of the router (DESIGN §6):
/// client address (through trusted proxies) → request id (`X-Request-ID`) → security headers →
/// CORS (preflights answered here, except `/socket.io/`'s, which the Engine.IO endpoint answers) →
/// rate limit (`RateLimitPolicy`: per user with a valid token, per client address without;
/// `/health` and `/socket.io/` exempt; 429 with `Retry-After` and `RateLimit-*`) → router.
/// `accessLog` is the server's `onResponse` hook: one line per request with `REQUEST_ID` (and
/// `USER_ID`, `LEAD_ID`, `CALL_ID` when known), at info for errors, slow answers and state
/// changes, else at debug (`AccessLogPolicy`). It also counts requests in flight so a graceful
/// shutdown can wait for them.
public final class GatewayPipeline {
    public let router: Router
    public let cors: CORSPolicy
    public let rateLimits: RateLimitPolicy
    public let clientAddress: ClientAddress
    private let logger: Logger
    private let accessLogPolicy: AccessLogPolicy
    private var requestIDs = RequestID()
    /// Responders of requests not yet logged as answered, by request identity. Weak, so a
    /// request whose connection vanished before its answer stops counting once released.
    private var pending: [ObjectIdentifier: WeakResponder] = [:]
    /// Past this many entries, finished ones are swept out.
    static let pendingSweepThreshold = 1024
    /// The entry count that triggers the next sweep: twice what the last sweep kept (at least the
    /// threshold), so thousands of long-polls waiting at once cost an occasional sweep, not one
    /// per request (issue 16: 5,000 polling clients spent ~90% of the gateway's CPU sweeping).
    private var sweepAt = GatewayPipeline.pendingSweepThreshold
    /// Sweeps done so far (tests).
    private(set) var pendingSweeps = 0
    /// Called when the last request in flight is answered (shutdown draining).
    public var onIdle: (() -> Void)?
    /// Counts every answered request and rate-limit refusal (`GET /metrics`).
    public var metrics: GatewayMetrics?

    private struct WeakResponder {
        weak var responder: HTTPResponder?
        var isLive: Bool { responder.map { !$0.isSent && $0.isConnectionOpen } ?? false }
    }

    /// Requests handed to the router whose answer is still due on an open connection.
    public var inFlight: Int { pending.values.reduce(0) { $0 + ($1.isLive ? 1 : 0) } }

    /// `tokens` tells which requests carry a valid token (they count per user).
    public init(router: Router, config: Config, clock: WallClock, logger: Logger, tokens: TokenService) {
        self.router = router
        self.logger = logger
        accessLogPolicy = AccessLogPolicy(slowRequestMillis: config.slowRequestMillis)
        cors = CORSPolicy(allowedOrigins: config.corsOrigins)
        clientAddress = ClientAddress(trustedProxies: config.trustedProxies)
        // Weak: the token service belongs to the context (its prune timer must not outlive the loop).
        rateLimits = RateLimitPolicy(config: config, clock: clock) { [weak tokens] token in
            if case .success(let claims)? = tokens?.verify(token) { return claims.userID }
            return nil
        }
    }

    /// Paths the rate limit does not count (Twilio's signed webhooks: its traffic comes from few IPs;
    /// the web console's static files).
    public static func isRateLimitExempt(_ path: String) -> Bool {
        path == "/health" || path == MetricsRoutes.path || path == "/socket.io" || path.hasPrefix("/socket.io/")
            || path.hasPrefix("/api/calls/webhook/") || StaticRoutes.isStaticPath(path)
    }

    /// The server's request handler.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        dispatch(request, responder)
        // Most answers are sent before `dispatch` returns (and logged, `accessLog`); only one
        // still due is watched (issue 16: a weak reference per request cost a side table
        // allocated and freed for every `/health`).
        if !responder.isSent { watch(request, responder) }
    }

    private func watch(_ request: HTTPRequest, _ responder: HTTPResponder) {
        if pending.count >= sweepAt {
            pending = pending.filter { $0.value.isLive }
            sweepAt = max(Self.pendingSweepThreshold, 2 * pending.count)
            pendingSweeps += 1
        }
        pending[ObjectIdentifier(request)] = WeakResponder(responder: responder)
    }

    private func dispatch(_ request: HTTPRequest, _ responder: HTTPResponder) {
        request.clientAddress = clientAddress.resolve(peer: request.remoteAddress, headers: request.headers)
        requestIDs.assign(to: request)
        SecurityHeaders.apply(to: request)
        if cors.isPreflight(request) && !EngineIOServer.owns(request.path) {   // Socket.IO answers its own
            return responder.send(cors.preflightResponse(for: request))
        }
        cors.applyHeaders(to: request)
        if !Self.isRateLimitExempt(request.path), let decision = rateLimits.check(request) {
            guard decision.allowed else {
                metrics?.requestRateLimited()
                return responder.send(RateLimiter.tooManyRequests(decision))
            }
            RateLimiter.apply(decision, to: request)
        }
        router.handle(request, responder)
    }

    /// The server's `onResponse` hook: the access log line.
    public func accessLog(_ request: HTTPRequest, status: Int, micros: UInt64) {
        if pending.removeValue(forKey: ObjectIdentifier(request)) != nil, let onIdle, inFlight == 0 { onIdle() }
        metrics?.requestFinished(request, status: status, micros: micros)
        let level = accessLogPolicy.level(method: request.method, path: request.path, status: status, micros: micros)
        guard logger.isEnabled(level) else { return }
        let millis = Double(micros / 100) / 10
        var fields = request.logFields
        fields["REQUEST_ID"] = request.requestID
        fields["HTTP_STATUS"] = String(status)
        fields["HTTP_METHOD"] = request.method
        fields["DURATION_MS"] = String(millis)
        if let user = request.user { fields["USER_ID"] = user.id }
        logger.log(level, "\(request.method) \(request.path) \(status) \(millis)ms", fields)
    }
}
