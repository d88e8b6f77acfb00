/// Returns claimed leads to `pending` when no call started within `config.claimTimeoutSeconds`
/// (DESIGN §5). One timer, armed for the earliest claim's deadline; it runs at start-up (before
/// READY), after each claim when nothing is armed, and re-arms itself after each run. Deadlines
/// come from the injected wall clock, so a test can advance the clock and call `expireDueClaims`.

import Shared

final class ClaimExpiryTimer {
    /// Retry delay after a failed expiry run (e.g. the disk is full).
    static let retryAfterFailureSeconds = 5.0
    /// Longest single wait; a later deadline (or a corrupt timestamp) re-checks after this.
    static let maxWaitMillis: Int64 = 3_600_000

    // unowned: the daemon owns this timer (`daemon.claimExpiry`) and cancels it in `stop()`.
    private unowned let daemon: QueueDaemon
    private var timer: TimerSource?
    /// When the armed timer is due (wall-clock millis), nil when not armed.
    private(set) var armedFor: Int64?

    init(daemon: QueueDaemon) {
        self.daemon = daemon
    }

    var timeoutMillis: Int64 { Int64(daemon.config.claimTimeoutSeconds) * 1000 }

    /// A lead was just claimed at `at`: arm when nothing earlier is armed.
    func leadClaimed(at: Int64) {
        let deadline = saturatingAddMillis(at, timeoutMillis)
        if let armedFor, armedFor <= deadline { return }
        arm(for: deadline)
    }

    /// Expires every claim older than the timeout now, publishes the changes, re-arms.
    func expireDueClaims() {
        daemon.writeGate.perform { [weak self] in self?.expireNow() }
    }

    func cancel() {
        timer?.cancel()
        timer = nil
        armedFor = nil
    }

    private func expireNow() {
        guard !daemon.isStopped else { return }
        let now = daemon.clock.nowMillis()
        let store = daemon.store
        let expired: [LeadTransition]
        do {
            let events = daemon.events
            expired = try daemon.commit {
                let expired = try store.expireClaims(before: now - timeoutMillis, now: now)
                for transition in expired {
                    events.leadStatusChanged(try store.json(id: transition.leadId), from: transition.from,
                                             to: transition.to, reason: transition.reason, actorId: nil)
                }
                return expired
            }
        } catch {
            daemon.logger.error("claim expiry failed: \(error)")
            cancel()
            timer = daemon.loop.schedule(after: Self.retryAfterFailureSeconds) { [weak self] in self?.expireDueClaims() }
            return
        }
        for transition in expired {
            daemon.logger.info("claim expired: \(transition.reason)", ["LEAD_ID": transition.leadId])
        }
        rearm()
    }

    /// Arms for the earliest remaining claim, or disarms when nothing is claimed.
    func rearm() {
        cancel()
        do {
            if let earliest = try daemon.store.earliestClaimedAt() { arm(for: saturatingAddMillis(earliest, timeoutMillis)) }
        } catch {
            daemon.logger.error("claim expiry: cannot read claims: \(error)")
            timer = daemon.loop.schedule(after: Self.retryAfterFailureSeconds) { [weak self] in self?.expireDueClaims() }
        }
    }

    private func arm(for deadline: Int64) {
        timer?.cancel()
        let (difference, overflow) = deadline.subtractingReportingOverflow(daemon.clock.nowMillis())
        let delayMillis = overflow ? (deadline < 0 ? 0 : Self.maxWaitMillis) : min(max(0, difference), Self.maxWaitMillis)
        armedFor = deadline
        timer = daemon.loop.schedule(after: Double(delayMillis) / 1000) { [weak self] in
            self?.timer = nil
            self?.armedFor = nil
            self?.expireDueClaims()
        }
    }
}
