import Shared

/// Named limits and timings of the dialer-daemon (RULES: every protocol limit a named constant
/// with a test). Call-data limits (notes, duration) live in `CallLimits` next to the state machine.
enum DialerLimits {
    /// The caller id of simulated calls: Twilio's documented "valid" test number.
    static let simulatedCallerId = "+15005550006"
    /// A phone number (`to`, `operatorPhone`) is an optional "+" and this many digits (E.164 allows
    /// at most 15; short codes and extensions-free local numbers have at least 3).
    static let minPhoneDigits = RequestFields.minPhoneDigits
    static let maxPhoneDigits = RequestFields.maxPhoneDigits
    /// `STATUS=` is sent on changes, but at most once per this many seconds.
    static let statusMinInterval = 1.0
    /// A provider report that could not be stored (full disk, locked database) is retried after
    /// this many seconds, in order with the call's later reports, until it is stored.
    static let persistRetrySeconds = 1.0
    /// After SIGTERM the loop keeps running this long so the final events reach subscribers.
    static let shutdownGraceSeconds = 0.2
    /// Group commit (`GroupCommitPolicy`): calls written in memory are stored together at the
    /// latest this many milliseconds after the first of them (the start_call answer waits for it)...
    static let groupCommitMaxDelayMillis = Int64(Config.defaultDialerCommitMillis)
    /// ... or as soon as this many calls wait (a large burst is not held in one long transaction).
    static let groupCommitMaxCalls = 256
}

/// The daemon's timings, injectable so tests need not wait for the production values.
struct DialerTuning {
    /// Smallest gap between two `STATUS=` lines.
    var statusInterval = DialerLimits.statusMinInterval
    /// The clock (seconds) the `STATUS=` throttle reads: monotonic; tests advance their own.
    var statusClock: @Sendable () -> Double = { MonotonicClock.seconds() }
    /// Delay before unstored provider reports are written again.
    var persistRetry = DialerLimits.persistRetrySeconds
    /// How long the loop keeps running after SIGTERM so final events reach subscribers.
    var shutdownGrace = DialerLimits.shutdownGraceSeconds

    static let standard = DialerTuning()
}
