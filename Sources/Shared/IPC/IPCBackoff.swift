/// Jittered exponential backoff for IPC reconnection (DESIGN §3 "Independent restarts"): the
/// delay starts at `initial`, doubles after every failed attempt up to `maximum`, and each delay
/// is spread by ± `jitter` (a fraction) so that clients of a restarted daemon do not reconnect in
/// lockstep. Pure: the random draw is passed in, so tests are deterministic.
public struct IPCBackoff: Sendable {
    public let initial: Double
    public let maximum: Double
    public let jitter: Double
    private var base: Double

    public init(initial: Double = IPCLimits.reconnectInitialDelay, maximum: Double = IPCLimits.reconnectMaxDelay,
                jitter: Double = IPCLimits.reconnectJitter) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.jitter = min(max(jitter, 0), 1)
        self.base = initial
    }

    /// The un-jittered delay the next call will be spread around.
    public var nextBase: Double { base }

    /// The next delay in seconds. `unit` is a uniform draw in [0, 1): 0 gives the shortest
    /// (base × (1 − jitter)), 0.5 the base itself, values near 1 the longest.
    public mutating func nextDelay(unit: Double) -> Double {
        let u = min(max(unit, 0), 1)
        let delay = base * (1 + jitter * (2 * u - 1))
        base = min(maximum, base * 2)
        return delay
    }

    /// After a successful handshake: the next failure starts from `initial` again.
    public mutating func reset() { base = initial }
}
