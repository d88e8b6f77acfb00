import Shared

/// The two moments `CallManager` ends calls on its own (DESIGN §3 "Independent restarts"):
/// at start-up, before READY, every call a crashed dialer left live is ended `failed` with
/// `end_reason='restart'` (nobody can know how it went) — except, with Twilio, the calls Twilio
/// accepted (they have a sid): those go on at Twilio, so they are kept live (`adopt`) and the
/// provider asks Twilio for their real status before anything ends them; at SIGTERM, every live
/// call is ended `failed` with `end_reason='shutdown'`, hung up at the provider and published.
extension CallManager {
    /// Ends the live rows left by a previous process, in one transaction; returns them as stored.
    /// Rows for which `adopt` answers true are kept live instead (in `active`, returned in
    /// `adopted`). Throws when the database cannot be read or written (the daemon must not start then).
    @discardableResult
    func recoverAfterRestart(adopt: (CallRecord) -> Bool = { _ in false }) throws -> (ended: [CallRecord], adopted: [CallRecord]) {
        let now = clock.nowMillis()
        let live = try store.liveCalls()
        let adopted = live.filter(adopt)
        let adoptedIds = Set(adopted.map(\.id))
        for call in adopted {
            active[call.id] = call
            logger.notice("Call was live when the dialer stopped; asking the provider for its real status",
                          call.logFields.merging(["CALL_STATUS": call.status.rawValue]) { $1 })
        }
        let ended = live.filter { !adoptedIds.contains($0.id) }.map { $0.abandoned(.restart, now: now) }
        try store.update(all: ended)
        for call in ended {
            logger.warning("Call was live when the dialer stopped; ended as failed",
                           call.logFields.merging(["CALL_STATUS": call.status.rawValue,
                                                   "END_REASON": DaemonEndReason.restart.rawValue]) { $1 })
        }
        return (ended, adopted)
    }

    /// Ends every live call (`failed`, `end_reason='shutdown'`), publishes the changes and hangs
    /// the calls up at the provider. Reports still waiting for a retry are tried once first; if
    /// the final write fails, the next start-up ends the calls instead (recovery).
    @discardableResult
    func shutdown() -> [CallRecord] {
        committer.commit()
        retryTimer?.cancel()
        retryTimer = nil
        if !backlog.isEmpty { retryBacklog() }
        retryTimer?.cancel()
        retryTimer = nil
        backlog.removeAll()

        let live = activeCalls
        guard !live.isEmpty else { return [] }
        let now = clock.nowMillis()
        let ended = live.map { $0.abandoned(.shutdown, now: now) }
        do {
            try store.update(all: ended)
        } catch {
            for call in live {
                logger.error("Could not end the call at shutdown: \(error); the next start ends it",
                             call.logFields)
            }
            active.removeAll()
            for call in live { provider.hangup(callId: call.id) }
            onActiveChanged()
            return []
        }
        for (old, new) in zip(live, ended) {
            commit(new, previous: old.status)
            provider.hangup(callId: new.id)
        }
        return ended
    }
}
