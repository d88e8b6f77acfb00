import Shared

/// Keeps systemd's `STATUS=` line current (`3 active calls, provider=simulation`, DESIGN §9):
/// `changed()` is called on every change of the active calls; the line is sent at once when the
/// last one went out at least `DialerLimits.statusMinInterval` ago, otherwise once when that
/// interval has passed (with the text current at that moment). Unchanged text is not resent.
final class StatusReporter {
    private let loop: EventLoop
    private let notifier: ServiceNotifier
    private let minInterval: Double
    private let text: () -> String
    private let clock: () -> Double
    private var lastSent: String?
    private var lastSentAt: Double?
    private var pending: TimerSource?

    /// `text` builds the current line; `minInterval` is the smallest gap between two sends, in
    /// seconds of `now` (monotonic unless a test injects its clock).
    init(loop: EventLoop, notifier: ServiceNotifier, minInterval: Double = DialerLimits.statusMinInterval,
         now: @escaping () -> Double = { MonotonicClock.seconds() }, text: @escaping () -> String) {
        self.loop = loop
        clock = now
        self.notifier = notifier
        self.minInterval = minInterval
        self.text = text
    }

    /// The status line for `count` active calls on `provider`.
    static func line(activeCount count: Int, provider: String) -> String {
        "\(count) active call\(count == 1 ? "" : "s"), provider=\(provider)"
    }

    /// Marks the line sent with READY (so an unchanged line is not repeated right after).
    func sentWithReady(_ line: String) {
        lastSent = line
        lastSentAt = now
    }

    func changed() {
        guard pending == nil else { return }
        let wait = lastSentAt.map { $0 + minInterval - now } ?? 0
        if wait <= 0 {
            send()
        } else {
            pending = loop.schedule(after: wait) { [weak self] in
                self?.pending = nil
                self?.send()
            }
        }
    }

    /// Cancels a scheduled send (shutdown).
    func cancel() {
        pending?.cancel()
        pending = nil
    }

    private func send() {
        let line = text()
        guard line != lastSent else { return }
        notifier.status(line)
        lastSent = line
        lastSentAt = now
    }

    private var now: Double { clock() }
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
