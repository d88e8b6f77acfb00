import CSQLite

/// How long a connection waits for another connection's lock (the busy timeout), and an optional
/// observer of those waits. Without an observer SQLite's own busy handler waits
/// (`sqlite3_busy_timeout`); with one, `LockWait` waits on the same schedule and timeout and
/// reports each pause first — so a test can act when a statement is seen waiting (e.g. release
/// the lock only after the wait has outlasted a shorter timeout) instead of sleeping.
final class LockWait {
    /// SQLite's default busy handler's pauses (milliseconds); the last one repeats.
    static let delaysMillis: [Int32] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]

    var timeoutMillis: Int32
    var observer: ((_ waitedMillis: Int64) -> Void)?

    init(timeoutMillis: Int32) { self.timeoutMillis = timeoutMillis }

    /// Milliseconds already waited before the `attempt`-th pause (0-based).
    static func waited(before attempt: Int32) -> Int64 {
        let listed = Int(min(attempt, Int32(delaysMillis.count)))
        let extra = Int64(attempt) - Int64(listed)
        return delaysMillis.prefix(listed).reduce(Int64(0)) { $0 + Int64($1) } + extra * Int64(delaysMillis.last ?? 100)
    }

    /// One call of the busy handler: reports, pauses and returns 1 to retry, or 0 to give up.
    func pause(attempt: Int32) -> Int32 {
        let waited = Self.waited(before: attempt)
        let index = Int(min(attempt, Int32(Self.delaysMillis.count - 1)))
        let delay = min(Int64(Self.delaysMillis[index]), Int64(timeoutMillis) - waited)
        guard delay > 0 else { return 0 }
        observer?(waited)
        sqlite3_sleep(Int32(delay))
        return 1
    }
}

extension Database {
    /// The busy timeout in force (milliseconds).
    public var busyTimeoutMillis: Int32 { lockWait.timeoutMillis }

    /// Sets the busy timeout (as `PRAGMA busy_timeout` does), keeping any lock-wait observer.
    public func setBusyTimeout(millis: Int32) {
        lockWait.timeoutMillis = millis
        installBusyHandler()
    }

    /// Calls `observer` on the waiting thread before each pause while a statement waits for
    /// another connection's lock, with the milliseconds waited so far; nil removes it. For tests.
    public func observeLockWaits(_ observer: ((_ waitedMillis: Int64) -> Void)?) {
        lockWait.observer = observer
        installBusyHandler()
    }

    func installBusyHandler() {
        guard let handle = rawHandle else { return }
        guard lockWait.observer != nil else {
            sqlite3_busy_timeout(handle, lockWait.timeoutMillis)
            return
        }
        let context = Unmanaged.passUnretained(lockWait).toOpaque()
        sqlite3_busy_handler(handle, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<LockWait>.fromOpaque(context).takeUnretainedValue().pause(attempt: attempt)
        }, context)
    }
}
