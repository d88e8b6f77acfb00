/// `queue.delete_lead {actorId, leadId}` → `{}`: soft delete (`is_active = 0`; the row, its phone
/// and its history stay). A claimed lead loses its claim (back to `pending`, inactive).
/// Errors: 404 `lead_not_found` ("Lead not found") for an unknown or already deleted lead; 409
/// `call_in_progress` ("Lead has a call in progress") while the lead is `calling`/`answered`.
/// Writes one `lead_events` row (reason `deleted`), publishes `event.lead_deleted {leadId, lead,
/// actorId}` and takes the lead out of dispatch.

import Shared

struct DeleteLeadCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func run(_ command: DeleteLeadBody) throws -> JSONObject {
        let actorId = command.actorId
        let leadId = command.leadId
        let store = daemon.store
        guard let lead = try store.record(id: leadId) else { throw QueueErrors.leadNotFound(leadId) }
        guard lead.isActive else { throw QueueErrors.leadDeleted(leadId) }
        guard !lead.hasCallInProgress else { throw QueueErrors.callInProgress(leadId, status: lead.status) }
        let now = daemon.clock.nowMillis()
        let events = daemon.events
        try daemon.commit {
            switch try store.apply(.softDelete, to: lead, actor: actorId, now: now) {
            case .success:
                events.leadDeleted(try store.json(id: leadId), leadId: leadId, actorId: actorId)
            case .failure(let refusal):
                throw StatusChangeRules.answer(for: refusal, lead: lead, machine: store.machine, now: now)
            }
        }
        daemon.logger.info("lead deleted", ["LEAD_ID": leadId, "USER_ID": actorId])
        return JSONObject()
    }
}
