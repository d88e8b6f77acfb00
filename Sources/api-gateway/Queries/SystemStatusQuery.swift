import Shared

/// `GET /api/admin/system-status` (reference §6.2, route #29; the earlier version always
/// answered 500) → `{"systemStatus": {database, callQueue, queueDaemon, dialer,
/// activeConnections, uptime, memory, environment}}`. Asks queue-daemon
/// (`queue.control get_queue_status`) and dialer-daemon (`dialer.status`) at the same time, each
/// with at most `daemonTimeout` seconds, so the answer comes within about two seconds even when
/// a daemon hangs. A daemon that does not answer is `reachable: false` and its figures come
/// from SQL: the queue's `paused` and `maxConcurrentCalls` from `queue_settings` (else the
/// configured defaults), live calls counted in `calls`. Loop thread only.
public final class SystemStatusQuery {
    /// Longest wait for each daemon (seconds).
    public static let daemonTimeout = 1.5
    /// Call statuses of a live call.
    static let liveStatuses = "('initiated', 'ringing', 'answered')"

    private let ctx: GatewayContext
    private let activeConnections: () -> Int
    private var queueReply: Result<JSONObject, IPCError>?
    private var dialerReply: Result<JSONObject, IPCError>?

    public init(ctx: GatewayContext, activeConnections: @escaping () -> Int) {
        self.ctx = ctx
        self.activeConnections = activeConnections
    }

    /// Asks both daemons and calls `completion` once with the response body.
    public func run(_ completion: @escaping (JSON) -> Void) {
        let timeout = min(Self.daemonTimeout, Double(ctx.config.ipcTimeoutMillis) / 1000)
        let finish = { [self] in
            guard queueReply != nil, dialerReply != nil else { return }
            completion(build())
        }
        ctx.queue.request(ControlBody(action: .getQueueStatus), timeout: timeout) { [self] in
            queueReply = $0
            finish()
        }
        ctx.dialer.request(DialerStatusBody(), timeout: timeout) { [self] in
            dialerReply = $0
            finish()
        }
    }

    func build() -> JSON {
        let queue = try? queueReply?.get()
        let dialer = try? dialerReply?.get()
        let databaseUp = (try? ctx.db.queryOne("SELECT 1")) != nil
        let liveCalls = databaseUp ? (try? Self.liveCallCount(ctx.db)) ?? 0 : 0
        var callQueue: JSONObject
        if let status = queue?["status"]?.object {
            callQueue = status
        } else {
            let settings = (try? Self.queueSettings(ctx.db)) ?? [:]
            let paused = settings["paused"] == "1"
            let maxCalls = settings["max_concurrent_calls"].flatMap { Int64($0) } ?? Int64(ctx.config.maxConcurrentCalls)
            callQueue = JSONObject([("isRunning", false), ("paused", .bool(paused)), ("activeCalls", .int(liveCalls)),
                                    ("maxConcurrentCalls", .int(maxCalls))])
            let hours = settings["calling_hours"].flatMap { try? CallingHours(text: $0) } ?? ctx.config.callingHours
            callQueue["callingHours"] = .object(JSONObject([("start", .string(hours.start)), ("end", .string(hours.end)),
                                                            ("days", .array(hours.dayNames.map(JSON.string)))]))
        }
        let dialerJSON = JSONObject([
            ("reachable", .bool(dialer != nil)),
            ("provider", dialer?["provider"] ?? .null),
            ("activeCalls", dialer?["activeCount"] ?? .int(liveCalls)),
        ])
        return .object(["systemStatus": .object(JSONObject([
            ("database", .string(databaseUp ? "connected" : "disconnected")),
            ("callQueue", .object(callQueue)),
            ("queueDaemon", .object(["reachable": .bool(queue != nil)])),
            ("dialer", .object(dialerJSON)),
            ("activeConnections", .int(Int64(activeConnections()))),
            ("uptime", .double((ctx.uptimeSeconds * 1000).rounded() / 1000)),
            ("memory", SystemStatusMemory.current().json),
            ("environment", .string(ctx.config.environmentName)),
        ]))])
    }

    /// Calls in a live status (0 before dialer-daemon created `calls`).
    static func liveCallCount(_ db: Database) throws -> Int64 {
        try CallTables.orEmpty(0) {
            try db.queryOne("SELECT count(*) FROM calls WHERE status IN \(liveStatuses)")?.int(at: 0) ?? 0
        }
    }

    /// `queue_settings` as key → value (empty before queue-daemon created it).
    static func queueSettings(_ db: Database) throws -> [String: String] {
        try CallTables.orEmpty([:]) {
            var settings: [String: String] = [:]
            try db.forEachRow("SELECT key, value FROM queue_settings") { settings[$0.string("key")] = $0.string("value") }
            return settings
        }
    }
}
