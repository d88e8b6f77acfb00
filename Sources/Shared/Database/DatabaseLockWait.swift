import CSQLite
import Glibc

/// An optional observer of a connection's lock waits, for tests: while one is set the busy
/// handler waits on `BusyBackoff`'s schedule and timeout as usual, and reports each pause first
/// (with the time waited so far) — so a test can act when a statement is seen waiting (e.g.
/// release the lock only after the wait has outlasted a shorter timeout) instead of sleeping.
final class LockWait {
    var timeoutMillis: Int32 = 0
    var observer: ((_ waitedMicros: Int64) -> Void)?

    /// One call of the busy handler: reports, pauses and returns 1 to retry, or 0 to give up.
    func pause(attempt: Int32) -> Int32 {
        guard let micros = BusyBackoff.sleepMicros(attempt: Int(attempt), timeoutMillis: Int64(timeoutMillis)) else { return 0 }
        observer?(BusyBackoff.waitedMicros(before: Int(attempt)))
        usleep(UInt32(micros))
        return 1
    }
}

extension Database {
    /// Calls `observer` on the waiting thread before each pause while a statement waits for
    /// another connection's lock, with the microseconds waited so far; nil removes it. For tests.
    public func observeLockWaits(_ observer: ((_ waitedMicros: Int64) -> Void)?) {
        lockWait.observer = observer
        installBusyHandler()
    }

    /// `BusyBackoff` with `busyTimeoutMillis`, reporting to the observer when there is one.
    func installBusyHandler() {
        guard let handle = rawHandle else { return }
        lockWait.timeoutMillis = busyTimeoutMillis
        guard lockWait.observer != nil else { return BusyBackoff.install(on: handle, timeoutMillis: busyTimeoutMillis) }
        let context = Unmanaged.passUnretained(lockWait).toOpaque()
        sqlite3_busy_handler(handle, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<LockWait>.fromOpaque(context).takeUnretainedValue().pause(attempt: attempt)
        }, context)
    }
}
