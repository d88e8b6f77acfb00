import Shared

/// Group commit of the dialer's call writes (issue 16). `CallManager` changes a call in memory
/// and hands the new state to `write` with what to do once it is stored (publish, answer, place)
/// and what to do if it cannot be (restore memory, answer 500, retry a provider report).
/// `GroupCommitPolicy` says when: at once when enough calls wait, else at most a few milliseconds
/// after the first one (a timer). `commit` stores every waiting call in one `BEGIN IMMEDIATE`
/// transaction (`CallStore.write`), then runs the after-commit steps in the order the writes
/// came; if the transaction fails nothing of it is kept, and every write's failure step runs,
/// newest first, so memory returns to what is stored. Nothing of a write is visible outside the
/// daemon before its commit: the order of events and the durability of every acknowledged step
/// stay what docs/ARCHITECTURE.md promises. Loop thread only.
final class CallCommitter {
    let store: CallStore
    let policy: GroupCommitPolicy
    let clock: WallClock
    let loop: EventLoop
    let logger: Logger
    /// Wraps the after-commit steps of one commit so their IPC frames leave together
    /// (`IPCServer.corked`); runs them as they are by default.
    var sendingTogether: (() -> Void) -> Void = { $0() }

    private(set) var batch = CallWriteBatch()
    private var oldestAt: Int64?
    private var afterCommit: [() -> Void] = []
    private var onFailure: [(Error) -> Void] = []
    private var timer: TimerSource?
    /// Commits made and calls they stored (for tests and the metrics).
    private(set) var commits = 0
    private(set) var callsCommitted = 0

    init(store: CallStore, policy: GroupCommitPolicy, clock: WallClock, loop: EventLoop, logger: Logger) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.loop = loop
        self.logger = logger
    }

    /// Gathers `call` (`inserting` when it has no row yet) for the next commit.
    func write(_ call: CallRecord, inserting: Bool, then done: @escaping () -> Void,
               otherwise failed: @escaping (Error) -> Void) {
        let now = clock.nowMillis()
        batch.add(call, inserting: inserting)
        afterCommit.append(done)
        onFailure.append(failed)
        if oldestAt == nil { oldestAt = now }
        switch policy.decide(waiting: batch.count, oldestAt: oldestAt, now: now) {
        case .idle: break
        case .commitNow: commit()
        case .commitAt(let due):
            guard timer == nil else { break }
            let delay = Double(min(max(0, due - now), policy.maxDelayMillis)) / 1000
            timer = loop.schedule(after: delay) { [weak self] in
                self?.timer = nil
                self?.commit()
            }
        }
    }

    /// Stores every waiting call now (also before any write or read outside the batch, so the
    /// database and memory agree for it). Returns false when the transaction failed.
    @discardableResult
    func commit() -> Bool {
        timer?.cancel()
        timer = nil
        guard !batch.isEmpty else { return true }
        let (pending, done, failed) = (batch, afterCommit, onFailure)
        batch = CallWriteBatch()
        afterCommit = []
        onFailure = []
        oldestAt = nil
        do {
            try store.write(inserts: pending.inserts, updates: pending.updates)
        } catch {
            logger.warning("Could not store \(pending.count) calls in one commit: \(error)")
            for step in failed.reversed() { step(error) }
            return false
        }
        commits += 1
        callsCommitted += pending.count
        sendingTogether { for step in done { step() } }
        return true
    }
}
