import Shared

/// How `CallManager` stores new calls and provider reports through group commit
/// (`CallCommitter`, issue 16): memory moves at once (so the next report of the same call or the
/// next `start_call` of the same lead sees it), the database, the events, the `start_call` answer
/// and the provider's placing follow the commit, in the order the writes came. A commit that
/// fails restores memory: a new call is forgotten and answered 500 (nothing placed, nothing
/// published), a provider report goes back to the front of its call's backlog and is retried.
extension CallManager {

    /// Whether `call` may be inserted: the waiting writes first (a resend of a call that waits is
    /// committed and then read as stored), then the database.
    func admission(of call: CallRecord) throws -> CallStore.InsertOutcome {
        if committer.batch.waiting(id: call.id) != nil { committer.commit() }
        if let live = committer.batch.waitingLiveCall(forLead: call.leadId) { return .leadBusy(live) }
        switch try store.admission(of: call) {
        case .leadBusy(let live) where committer.batch.waiting(id: live.id)?.status.isTerminal == true:
            // Stored live, but it ended in memory and that end waits for the commit.
            return .inserted
        case let outcome:
            return outcome
        }
    }

    /// Gathers a new call; once stored: published `initiated`, answered, then `placed()`.
    func storeNew(_ call: CallRecord, reply: @escaping (Result<CallRecord, IPCError>) -> Void,
                  placed: @escaping () -> Void) {
        enter(call)
        committer.write(call, inserting: true, then: { [weak self] in
            self?.announce(call, previous: nil)
            placed()
            reply(.success(call))
        }, otherwise: { [weak self] error in
            guard let self else { return }
            self.logger.error("Could not store new call: \(error)", call.logFields)
            if self.active[call.id] != nil {
                self.active[call.id] = nil
                self.onActiveChanged()
            }
            reply(.failure(DialerErrors.storage(callId: call.id)))
        })
    }

    /// Gathers a provider report's result `next` of `call`; once stored it is published when
    /// `announces` (a status change). If the commit fails, `call` is restored and `event` waits in
    /// the call's backlog, before any report that came after it.
    func storeReport(_ next: CallRecord, of call: CallRecord, event: CallProviderEvent, announces: Bool) {
        enter(next)
        committer.write(next, inserting: false, then: { [weak self] in
            if announces { self?.announce(next, previous: call.status) }
        }, otherwise: { [weak self] error in
            guard let self else { return }
            self.logger.error("Could not store call: \(error)", call.logFields)
            self.enter(call)
            self.backlog[call.id, default: []].insert(event, at: 0)
            self.armRetry()
        })
    }
}
