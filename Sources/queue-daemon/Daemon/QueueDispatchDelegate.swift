/// The hooks the queue-daemon's commands call for the auto-dialer (the dispatch helper's
/// `Sources/queue-daemon/Dispatch/*`). Set `QueueDaemon.dispatch` to an object adopting this
/// protocol (the daemon keeps it alive; hold the daemon weakly). Every method has a default that
/// does nothing, so the daemon runs without a dispatcher. All calls are on the loop thread and
/// come after the database commit they describe.

import Shared

protocol QueueDispatchDelegate: AnyObject {
    /// Leads that are now `pending`, active and unassigned: created, imported, released, claim
    /// expired, re-queued by an admin, or whose priority/backoff changed while pending. Treat as
    /// an upsert (a lead already known is replaced by the new snapshot). An import sends one call
    /// with all its leads.
    func leadsBecameDispatchable(_ leads: [LeadSnapshot])

    /// Leads that left the dispatchable set: claimed, deleted, set to failed/transferred.
    func leadsLeftDispatch(_ ids: [LeadID])

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

extension QueueDispatchDelegate {
    func leadsBecameDispatchable(_ leads: [LeadSnapshot]) {}
    func leadsLeftDispatch(_ ids: [LeadID]) {}
    func operatorChanged(userId: String) {}
    func queueSettingsChanged(_ settings: QueueSettings) {}
    func resetStuckLeads(actorId: String?, reply: @escaping IPCReply) {
        reply(.failure(.unavailable(code: .notAvailable,
                                    message: "Stuck-lead recovery is not available in this build")))
    }
    func queueStatusDetails() -> (status: JSONObject, activeCalls: [JSON]) { (JSONObject(), []) }
    func queueDaemonStopping() {}
}
