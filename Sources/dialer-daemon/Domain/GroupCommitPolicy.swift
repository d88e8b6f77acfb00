/// When the dialer commits the call writes it has gathered (group commit, issue 16): pure, from
/// the number of calls waiting to be written, when the oldest of them was written in memory and
/// the time now. One transaction then stores all of them, and only after its commit are their
/// events published, their `start_call` answered and their calls placed (`CallCommitter`), so an
/// acknowledged step is on disk as before; what changes is that a few milliseconds of calls share
/// one commit — one WAL append of the pages they dirtied instead of one per call.
struct GroupCommitPolicy: Equatable, Sendable {
    /// Commit at once when this many calls wait.
    var maxBatch: Int
    /// Commit at the latest this many milliseconds after the oldest waiting write.
    var maxDelayMillis: Int64

    /// What to do now.
    enum Decision: Equatable, Sendable {
        /// Nothing waits.
        case idle
        /// Commit now.
        case commitNow
        /// Commit at this time (milliseconds of the injected clock) unless a later write commits first.
        case commitAt(Int64)
    }

    /// The daemon's setting: at 1,000 calls a second about two calls share a commit at the
    /// latest, and a burst of a planning turn's calls shares one.
    static let standard = GroupCommitPolicy(maxBatch: DialerLimits.groupCommitMaxCalls,
                                            maxDelayMillis: DialerLimits.groupCommitMaxDelayMillis)
    /// Every write its own transaction, committed before the write returns (the behaviour before
    /// group commit; unit tests of `CallManager` that read the database right after a call).
    static let immediate = GroupCommitPolicy(maxBatch: 1, maxDelayMillis: 0)

    /// `IBRAT_DIALER_COMMIT_MS`: 0 is `immediate`.
    init(commitMillis: Int) {
        self = commitMillis == 0 ? .immediate
            : GroupCommitPolicy(maxBatch: DialerLimits.groupCommitMaxCalls, maxDelayMillis: Int64(commitMillis))
    }

    init(maxBatch: Int, maxDelayMillis: Int64) {
        self.maxBatch = maxBatch
        self.maxDelayMillis = maxDelayMillis
    }

    func decide(waiting: Int, oldestAt: Int64?, now: Int64) -> Decision {
        guard waiting > 0, let oldestAt else { return .idle }
        if waiting >= maxBatch { return .commitNow }
        let due = oldestAt + maxDelayMillis
        return now >= due ? .commitNow : .commitAt(due)
    }
}
