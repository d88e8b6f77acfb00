/// Runs an action at most once every `minInterval` seconds (monotonic clock), as the dialer's
/// `STATUS=` line and the queue's explanation need: `request()` runs it at once when the last run
/// is at least `minInterval` ago, otherwise once when the interval has passed; the requests in
/// between fold into that one run, which sees the state current at that moment. The action says
/// whether it did anything: a run that did nothing (the text was unchanged) does not start a new
/// interval. Loop-confined.
public final class Throttle {
    private let loop: EventLoop
    private let minInterval: Double
    private let action: () -> Bool
    private let clock: () -> Double
    private var lastRunAt: Double?
    private var pending: TimerSource?

    /// `now` is the clock the interval is measured on (seconds): monotonic unless a test injects one.
    public init(loop: EventLoop, minInterval: Double, now: @escaping () -> Double = { MonotonicClock.seconds() },
                action: @escaping () -> Bool) {
        self.loop = loop
        self.minInterval = minInterval
        clock = now
        self.action = action
    }

    /// Asks for a run: now, or once at the end of the current interval.
    public func request() {
        guard pending == nil else { return }
        let wait = lastRunAt.map { $0 + minInterval - clock() } ?? 0
        if wait <= 0 { return run() }
        pending = loop.schedule(after: wait) { [weak self] in
            self?.pending = nil
            self?.run()
        }
    }

    /// Counts something done outside `request` (the line sent with READY) as a run now.
    public func markRun() { lastRunAt = clock() }

    /// Drops a scheduled run (shutdown).
    public func cancel() {
        pending?.cancel()
        pending = nil
    }

    private func run() {
        let startedAt = clock()
        if action() { lastRunAt = startedAt }
    }
}
