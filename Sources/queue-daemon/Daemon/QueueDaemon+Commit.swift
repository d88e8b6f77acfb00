/// The queue's commit and its one after-commit step. Every command that writes leads runs its
/// writes in `commit`: the store's transaction returns the change set (each lead touched, with its
/// state after the commit, and the events published inside the transaction), and `afterCommit`
/// sends the events, then hands the leads to dispatch (the scheduler and its census follow,
/// a planner run is asked for when a lead became dispatchable). Nothing is sent when the
/// transaction rolls back. A nested `commit` adds to the outer one's change set.

import Shared

extension QueueDaemon {
    @discardableResult
    func commit<T>(_ body: () throws -> T) throws -> T {
        let (value, changes) = try store.transaction(body)
        afterCommit(changes)
        return value
    }

    /// The after-commit step: events first (in the order published), then dispatch.
    func afterCommit(_ changes: QueueChangeSet) {
        guard !changes.isEmpty else { return }
        for event in changes.events { events.send(event) }
        dispatch?.leadsChanged(changes)
    }
}
