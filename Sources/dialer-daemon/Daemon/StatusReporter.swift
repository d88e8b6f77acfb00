import Shared

/// Keeps systemd's `STATUS=` line current (`3 active calls, provider=simulation`, DESIGN §9):
/// `changed()` is called on every change of the active calls; the line is sent at once when the
/// last one went out at least `DialerLimits.statusMinInterval` ago, otherwise once when that
/// interval has passed (with the text current at that moment). Unchanged text is not resent.
final class StatusReporter {
    private let notifier: ServiceNotifier
    private let text: () -> String
    private var lastSent: String?
    private let loop: EventLoop
    private let minInterval: Double
    private let clock: () -> Double
    private lazy var throttle = Throttle(loop: loop, minInterval: minInterval, now: clock) { [weak self] in self?.send() ?? false }

    /// `text` builds the current line; `minInterval` is the smallest gap between two sends, in
    /// seconds of `now` (monotonic unless a test injects its clock).
    init(loop: EventLoop, notifier: ServiceNotifier, minInterval: Double = DialerLimits.statusMinInterval,
         now: @escaping () -> Double = { MonotonicClock.seconds() }, text: @escaping () -> String) {
        self.loop = loop
        self.notifier = notifier
        self.minInterval = minInterval
        clock = now
        self.text = text
    }

    /// The status line for `count` active calls on `provider`.
    static func line(activeCount count: Int, provider: String) -> String {
        "\(count) active call\(count == 1 ? "" : "s"), provider=\(provider)"
    }

    /// Marks the line sent with READY (so an unchanged line is not repeated right after).
    func sentWithReady(_ line: String) {
        lastSent = line
        throttle.markRun()
    }

    func changed() { throttle.request() }

    /// Cancels a scheduled send (shutdown).
    func cancel() { throttle.cancel() }

    /// Sends the current line unless it is the one sent last; true when sent.
    private func send() -> Bool {
        let line = text()
        guard line != lastSent else { return false }
        notifier.status(line)
        lastSent = line
        return true
    }
}

/// The sd_notify messages the daemon sends, as closures so tests can record them instead of
/// talking to systemd.
struct ServiceNotifier {
    var ready: (String) -> Void
    var status: (String) -> Void
    var stopping: () -> Void

    /// The real thing (`SystemdNotify`; no-ops outside systemd).
    static var systemd: ServiceNotifier {
        ServiceNotifier(
        ready: { SystemdNotify.ready(status: $0) },
        status: { SystemdNotify.status($0) },
        stopping: { SystemdNotify.stopping() })
    }

    /// Sends nothing.
    static var silent: ServiceNotifier { ServiceNotifier(ready: { _ in }, status: { _ in }, stopping: {}) }
}
