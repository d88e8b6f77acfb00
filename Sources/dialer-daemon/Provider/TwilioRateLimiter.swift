/// The calls-per-second limit of the Twilio provider: a token bucket, pure (time is passed in,
/// in seconds on any monotonic clock), so tests drive it with an injected clock. The bucket holds
/// at most `burst` tokens (`max(1, cps)`, so a rate below one still lets one call through) and
/// refills at `callsPerSecond`; it starts full. `take(now:)` either takes a token (returns 0) or
/// returns how many seconds until the next token, taking nothing — the caller keeps its calls in
/// order and asks again then. Loop thread only.
struct TwilioRateLimiter {
    let callsPerSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private var updatedAt: Double?

    init(callsPerSecond: Double) {
        precondition(callsPerSecond > 0, "callsPerSecond is validated by Config")
        self.callsPerSecond = callsPerSecond
        burst = max(1, callsPerSecond)
        tokens = burst
    }

    /// Takes a token if one is available at `now` (returns 0), else returns the seconds until
    /// one will be. A clock that goes backwards is treated as standing still.
    mutating func take(now: Double) -> Double {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return 0
        }
        return max((1 - tokens) / callsPerSecond, Self.minimumWait)
    }

    /// Shortest wait returned, so a caller never spins on rounding errors.
    static let minimumWait = 0.001

    private mutating func refill(now: Double) {
        guard let last = updatedAt else {
            updatedAt = now
            return
        }
        guard now > last else { return }
        tokens = min(burst, tokens + (now - last) * callsPerSecond)
        updatedAt = now
    }
}
