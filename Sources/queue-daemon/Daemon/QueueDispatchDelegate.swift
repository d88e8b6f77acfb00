/// The hooks the queue-daemon calls for the auto-dialer (the dispatch helper's
/// `Sources/queue-daemon/Dispatch/*`). Set `QueueDaemon.dispatch` to an object adopting this
/// protocol (the daemon keeps it alive; hold the daemon weakly); a daemon without one (unit tests
/// of the commands) runs without dispatch. All calls are on the loop thread and come after the
/// database commit they describe. Lead changes arrive only through `leadsChanged`, called by the
/// one after-commit step (`QueueDaemon.commit`), never by a command itself.

import Shared

protocol QueueDispatchDelegate: AnyObject {
    /// What a queue transaction changed: `changes.entered` are dispatchable now (upsert: created,
    /// imported, released, claim expired, re-queued, edited while pending), `changes.left` are not
    /// (claimed, deleted, flagged do-not-call, set to failed/transferred; remove when present).
    func leadsChanged(_ changes: QueueChangeSet)

    /// `queue.operator_changed`: the gateway changed a user's availability, active flag or role.
    func operatorChanged(userId: String)

    /// `queue.control` pause/resume/set_max_concurrent_calls changed the persisted settings.
    func queueSettingsChanged(_ settings: QueueSettings)

    /// `queue.control reset_stuck_leads`: reset `calling`/`answered` leads without a live call,
    /// then reply (e.g. `{message, resetCount}`) or fail with an `IPCError`.
    func resetStuckLeads(actorId: String?, reply: @escaping IPCReply)

    /// Extra fields merged into the `get_queue_status` reply's `status` object
    /// (e.g. `activeCalls`, `freeOperators`), and the top-level `activeCalls` list.
    func queueStatusDetails() -> (status: JSONObject, activeCalls: [JSON])

    /// Called once from `QueueDaemon.stop()` (SIGTERM or tests): cancel timers, close clients.
    func queueDaemonStopping()
}
