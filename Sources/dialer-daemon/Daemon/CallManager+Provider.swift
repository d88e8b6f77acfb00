import Shared

/// How `CallManager` takes the provider's reports: `.created(sid)` records the sid; every other
/// report runs through `CallStateMachine` (duplicates and stale reports change nothing), is
/// stored, then published. Reports about calls that already ended (hung up by a command, ended
/// at shutdown) are ignored. A report that cannot be stored (full disk, database error) is kept
/// with the call's later reports and retried in order every `retryInterval` seconds, so a call
/// never stays live in the database because one write failed. A first attempt is gathered for
/// group commit (`storeReport`); a failed commit puts the report back in the backlog.
extension CallManager {
    /// Entry point of the provider's event callback.
    func providerReported(callId: String, _ event: CallProviderEvent) {
        if backlog[callId] != nil {
            backlog[callId]?.append(event)
            return
        }
        if !applyProviderEvent(callId: callId, event, retrying: false) {
            backlog[callId] = [event]
            armRetry()
        }
    }

    /// Applies one report; false only when its result could not be stored.
    func applyProviderEvent(callId: String, _ event: CallProviderEvent, retrying: Bool) -> Bool {
        guard let call = active[callId] else {
            logger.debug("Provider report \(event) for a call that is no longer live; ignored", ["CALL_ID": callId])
            return true
        }
        let now = clock.nowMillis()
        guard let callEvent = event.callEvent else {
            guard case .created(let sid) = event, call.twilioCallSid != sid else { return true }
            var next = call
            next.twilioCallSid = sid
            next.updatedAt = now
            guard retrying else {
                storeReport(next, of: call, event: event, announces: false)
                return true
            }
            guard persist(next, quietly: true) else { return false }
            active[callId] = next
            return true
        }
        var result = CallStateMachine.apply(callEvent, to: call.snapshot, now: now)
        if case .failure(let error) = result, event.isFinal {
            // The provider ended a call whose record moved on without it (an operator marked it
            // answered, then the line reported busy): end it the only way the record allows.
            logger.warning("Provider's final report \(event) conflicts with the call (\(error.message)); "
                           + "ending it anyway", call.logFields)
            let fallback: CallEvent = call.status == .answered
                ? .completed(durationSeconds: nil)
                : .failed(code: "invalid_provider_report", message: error.message)
            result = CallStateMachine.apply(fallback, to: call.snapshot, now: now)
        }
        switch result {
        case .failure(let error):
            logger.warning("Provider report \(event) refused: \(error.message)", call.logFields)
            return true
        case .success(let change):
            if change.kind != .advanced {
                logger.debug("Provider report \(event) is \(change.kind.rawValue); ignored", call.logFields)
            }
            guard change.changesRecord else { return true }
            let next = call.applying(change.next, now: now)
            guard retrying else {
                storeReport(next, of: call, event: event, announces: true)
                return true
            }
            guard persist(next, quietly: true) else { return false }
            commit(next, previous: call.status)
            return true
        }
    }

    func armRetry() {
        guard retryTimer == nil else { return }
        retryTimer = loop.schedule(after: retryInterval) { [weak self] in
            self?.retryTimer = nil
            self?.retryBacklog()
        }
    }

    /// Stores the waiting reports, oldest first per call, until one fails again.
    func retryBacklog() {
        for callId in backlog.keys.sorted() {
            var events = backlog[callId] ?? []
            while let first = events.first, applyProviderEvent(callId: callId, first, retrying: true) {
                events.removeFirst()
            }
            if events.isEmpty {
                backlog[callId] = nil
                logger.notice("Stored the call's delayed provider reports", ["CALL_ID": callId])
            } else {
                backlog[callId] = events
            }
        }
        if !backlog.isEmpty { armRetry() }
    }
}
