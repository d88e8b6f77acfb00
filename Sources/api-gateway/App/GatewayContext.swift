import Shared

/// Everything a route handler needs, built once by `GatewayApp` (or by a test): the loop,
/// configuration, logger, the database connection (owner `gateway`: it may write only `users`,
/// `revoked_tokens` and `audit_log`), the wall clock, tokens, users, the IPC clients to the two
/// daemons and the event bus the realtime layer listens to. Helpers for routing, bodies,
/// errors and IPC forwarding live in the `GatewayContext+*.swift` extensions. Loop thread only.
public final class GatewayContext {
    public let loop: EventLoop
    public let config: Config
    public let logger: Logger
    public let db: Database
    public let clock: WallClock
    public let tokens: TokenService
    public let users: UserStore
    public let auth: AuthGuard
    public let audit: AuditLog
    public let errors: ErrorMapper
    /// Commands to queue-daemon (`queue.sock`), role `gateway`.
    public let queue: IPCClient
    /// Commands to dialer-daemon (`dialer.sock`), role `gateway`.
    public let dialer: IPCClient
    public let events: GatewayEventBus
    /// Answers kept for requests with an `Idempotency-Key` (routes registered `idempotent`).
    public let idempotency: IdempotencyStore
    /// The gateway's metrics (`GET /metrics`, `MetricsRoutes`).
    public let metrics = GatewayMetrics()
    /// Monotonic start time, for `/health`'s uptime.
    public let startedAtMicros: UInt64

    /// Builds the services around an open, migrated database. The IPC clients are created but
    /// not started (`GatewayApp.start` starts them; tests may leave them down to get 503s).
    public init(loop: EventLoop, config: Config, logger: Logger, db: Database, clock: WallClock,
                jwtSecret: [UInt8]) throws {
        self.loop = loop
        self.config = config
        self.logger = logger
        self.db = db
        self.clock = clock
        tokens = try TokenService(secret: jwtSecret, ttlSeconds: config.jwtTTLSeconds, clock: clock, db: db)
        users = UserStore(db: db)
        auth = AuthGuard(tokens: tokens, users: users)
        audit = AuditLog(db: db, clock: clock, logger: logger)
        errors = ErrorMapper(logger: logger)
        events = GatewayEventBus()
        idempotency = IdempotencyStore(db: db, clock: clock, logger: logger)
        let timeout = Double(config.ipcTimeoutMillis) / 1000
        let ipcLog: (String) -> Void = { [logger] text in logger.info(text) }
        queue = IPCClient(loop: loop, path: config.queueSocketPath, role: "gateway",
                          peerName: IPCPeer.queue.daemonName, timeout: timeout, logger: ipcLog)
        dialer = IPCClient(loop: loop, path: config.dialerSocketPath, role: "gateway",
                           peerName: IPCPeer.dialer.daemonName, timeout: timeout, logger: ipcLog)
        startedAtMicros = MonotonicClock.micros()
    }

    public func client(_ peer: IPCPeer) -> IPCClient {
        switch peer {
        case .queue: return queue
        case .dialer: return dialer
        }
    }

    /// Seconds since the context was built (the process's uptime in practice).
    public var uptimeSeconds: Double { Double(MonotonicClock.micros() &- startedAtMicros) / 1_000_000 }

    /// Now, in milliseconds since the epoch.
    public var nowMillis: Int64 { clock.nowMillis() }

    /// Log fields naming the request (and its user once known).
    public func logFields(_ request: HTTPRequest, _ extra: [String: String] = [:]) -> [String: String] {
        var fields = extra
        fields["REQUEST_ID"] = request.requestID
        if let user = request.user { fields["USER_ID"] = user.id }
        return fields
    }
}
