/// Serialises the queue-daemon's writes around long transactions that run on a worker thread
/// (the CSV import commit). While the gate is held, write work is queued instead of blocking the
/// loop on SQLite's busy timeout; releasing the gate runs the queued work in order. Every write
/// on the loop thread (commands, timers, the dispatch helper) goes through `perform`. Loop thread only.

final class WriteGate {
    private(set) var isHeld = false
    private var waiting: [() -> Void] = []

    /// Work waiting for the gate.
    var waitingCount: Int { waiting.count }

    /// Runs `work` now, or after the current holder releases the gate.
    func perform(_ work: @escaping () -> Void) {
        if isHeld {
            waiting.append(work)
        } else {
            work()
        }
    }

    /// Takes the gate (the caller must be running through `perform` or know it is free).
    func hold() {
        precondition(!isHeld, "WriteGate is already held")
        isHeld = true
    }

    /// Frees the gate and runs queued work until it is empty or some work holds the gate again.
    func release() {
        isHeld = false
        while !isHeld, !waiting.isEmpty {
            let work = waiting.removeFirst()
            work()
        }
    }
}
