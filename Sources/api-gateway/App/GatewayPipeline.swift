import Shared

/// The per-request middleware chain in front of the router (DESIGN §6):
/// request id (`X-Request-ID`) → security headers → CORS (preflights answered here) → rate limit
/// (keyed on the peer IP; `/health` and `/socket.io/` exempt; 429 with `Retry-After` and
/// `RateLimit-*`) → router. `accessLog` is the server's `onResponse` hook: one info line per
/// request with `REQUEST_ID` (and `USER_ID` when known). It also counts requests in flight so a
/// graceful shutdown can wait for them.
public final class GatewayPipeline {
    public let router: Router
    public let cors: CORSPolicy
    public let rateLimiter: RateLimiter?
    private let logger: Logger
    private var requestIDs = RequestID()
    /// Requests handed to the router and not yet answered.
    public private(set) var inFlight = 0
    /// Called whenever `inFlight` drops to zero (shutdown draining).
    public var onIdle: (() -> Void)?

    public init(router: Router, config: Config, clock: WallClock, logger: Logger) {
        self.router = router
        self.logger = logger
        cors = CORSPolicy(allowedOrigins: config.corsOrigins)
        rateLimiter = config.rateLimit.map { RateLimiter(limit: $0.limit, windowSeconds: $0.windowSeconds, clock: clock) }
    }

    /// Paths the rate limit does not count.
    public static func isRateLimitExempt(_ path: String) -> Bool {
        path == "/health" || path == "/socket.io" || path.hasPrefix("/socket.io/")
    }

    /// The server's request handler.
    public func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        inFlight += 1
        requestIDs.assign(to: request)
        SecurityHeaders.apply(to: request)
        if cors.isPreflight(request) { return responder.send(cors.preflightResponse(for: request)) }
        cors.applyHeaders(to: request)
        if let limiter = rateLimiter, !Self.isRateLimitExempt(request.path) {
            let decision = limiter.check(request.remoteAddress)
            guard decision.allowed else { return responder.send(RateLimiter.tooManyRequests(decision)) }
            RateLimiter.apply(decision, to: request)
        }
        router.handle(request, responder)
    }

    /// The server's `onResponse` hook: the access log line.
    public func accessLog(_ request: HTTPRequest, status: Int, micros: UInt64) {
        if inFlight > 0 {
            inFlight -= 1
            if inFlight == 0 { onIdle?() }
        }
        guard logger.isEnabled(.info) else { return }
        let millis = Double(micros / 100) / 10
        var fields = ["REQUEST_ID": request.requestID, "HTTP_STATUS": String(status),
                      "HTTP_METHOD": request.method, "DURATION_MS": String(millis)]
        if let user = request.user { fields["USER_ID"] = user.id }
        logger.info("\(request.method) \(request.path) \(status) \(millis)ms", fields)
    }
}
