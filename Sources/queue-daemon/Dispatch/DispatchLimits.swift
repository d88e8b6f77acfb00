/// Named constants of the queue-daemon's dispatch engine (`Dispatcher` and friends): how long
/// start-up waits for the dialer before recovering without it, how many call outcomes are
/// remembered for idempotency, how often the systemd status line may change, and the names used
/// on the queue → dialer connection. Each value has a test in `DispatchLimitsTests`.

enum DispatchLimits {
    /// Role the queue-daemon announces in `hello` on `dialer.sock`.
    static let clientRole = "queue"
    /// Peer name in `503 … is not reachable` messages.
    static let dialerPeerName = "dialer-daemon"
    /// Event prefix the queue subscribes to on the dialer connection.
    /// `event.call_status_changed`, the dialer's report of every call status change.

    /// Start-up (before READY) waits at most this long for the dialer's handshake, so stuck-lead
    /// recovery can ask it which calls are live; without it, leads whose call never ended are
    /// left alone until the dialer connects.
    static let startupDialerWaitSeconds = 1.0
    /// (callId, status) outcome keys remembered to drop resends; the oldest are forgotten first.
    /// Far above any number of calls that can end between two reconnects.
    static let processedOutcomeCapacity = 100_000
    /// The systemd `STATUS=` line changes at most this often.
    static let statusLineIntervalSeconds = 1.0
    /// Delay before recovery re-checks a lead whose `dialer.start_call` got no answer (timeout or
    /// lost connection): by then the dialer has either stored the call or never will.
    static let unconfirmedCallRecheckSeconds = 2.0
    /// After a failed database write, dispatching pauses this long before trying again.
    static let storeFailureRetrySeconds = 1.0
    /// `lead_events.actor` for what the auto-dialer and recovery do by themselves.
    static let systemActor = "system"
}
