import Shared

/// A fixed-window request limit per client key (the client IP): `limit` requests per
/// `windowSeconds`, the window starting at the client's first request (DESIGN §6: 100 per
/// 15 minutes by default). Memory is bounded: expired windows are pruned once per prune interval,
/// and beyond `maxTrackedClients` new clients share one overflow window (so a flood of addresses
/// costs a fixed amount of memory and is itself limited). Time comes from an injected `WallClock`.
public final class RateLimiter {
    public static let defaultLimit = 100
    public static let defaultWindowSeconds = 900
    /// Most client windows kept; beyond it new clients share the overflow window.
    public static let defaultMaxTrackedClients = 100_000
    /// Expired windows are swept at most this often (and at least once per window).
    public static let pruneIntervalMillis: Int64 = 60_000
    /// The key of the shared window used when the table is full.
    public static let overflowKey = "\u{0}overflow"

    /// The outcome of one `check`.
    public struct Decision: Equatable {
        public let allowed: Bool
        public let limit: Int
        public let remaining: Int
        /// Seconds until the window resets (at least 1).
        public let resetSeconds: Int
    }

    struct Window {
        var start: Int64
        var count: Int
    }

    public let limit: Int
    public let windowMillis: Int64
    public let maxTrackedClients: Int
    private let clock: WallClock
    private var windows: [String: Window] = [:]
    private var nextPruneAt: Int64

    public init(limit: Int = defaultLimit, windowSeconds: Int = defaultWindowSeconds, clock: WallClock,
                maxTrackedClients: Int = defaultMaxTrackedClients) {
        self.limit = max(1, limit)
        self.windowMillis = Int64(max(1, windowSeconds)) * 1000
        self.clock = clock
        self.maxTrackedClients = max(1, maxTrackedClients)
        nextPruneAt = clock.nowMillis() + min(windowMillis, Self.pruneIntervalMillis)
    }

    /// Windows currently held in memory.
    public var trackedClients: Int { windows.count }

    /// Counts one request from `key` and says whether it is allowed.
    public func check(_ key: String) -> Decision {
        let now = clock.nowMillis()
        if now >= nextPruneAt { prune(now: now) }
        var key = key
        if windows[key] == nil && windows.count >= maxTrackedClients {
            prune(now: now)
            if windows.count >= maxTrackedClients { key = Self.overflowKey }
        }
        var window = windows[key] ?? Window(start: now, count: 0)
        if now - window.start >= windowMillis { window = Window(start: now, count: 0) }
        window.count += 1
        windows[key] = window
        let resetMillis = window.start + windowMillis - now
        return Decision(allowed: window.count <= limit, limit: limit, remaining: max(0, limit - window.count),
                        resetSeconds: max(1, Int((resetMillis + 999) / 1000)))
    }

    /// Drops every expired window.
    public func prune() { prune(now: clock.nowMillis()) }

    private func prune(now: Int64) {
        let window = windowMillis
        windows = windows.filter { now - $0.value.start < window }
        nextPruneAt = now + min(windowMillis, Self.pruneIntervalMillis)
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (and `Retry-After` when refused).
    public static func headers(for decision: Decision) -> [(String, String)] {
        var fields = [("RateLimit-Limit", String(decision.limit)),
                      ("RateLimit-Remaining", String(decision.remaining)),
                      ("RateLimit-Reset", String(decision.resetSeconds))]
        if !decision.allowed { fields.append(("Retry-After", String(decision.resetSeconds))) }
        return fields
    }

    /// Adds the rate-limit headers to whatever response the request gets.
    public static func apply(_ decision: Decision, to request: HTTPRequest) {
        for (name, value) in headers(for: decision) { request.responseHeaders.set(name, value) }
    }

    /// `429 {"error":"Too Many Requests","message":"Too many requests, please try again later."}`.
    public static func tooManyRequests(_ decision: Decision) -> HTTPResponse {
        var response = HTTPResponse.error(429, error: "Too Many Requests",
                                          message: "Too many requests, please try again later.")
        for (name, value) in headers(for: decision) { response.headers.set(name, value) }
        return response
    }
}
