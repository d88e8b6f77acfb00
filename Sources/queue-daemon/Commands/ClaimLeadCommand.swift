/// `queue.claim_lead {actorId, leadId}` → `{lead}` and `queue.release_lead {actorId, actorRole?,
/// leadId}` → `{lead}`.
///
/// Claim is one conditional UPDATE (`... WHERE id=? AND status='pending' AND is_active=1 AND
/// assigned_to IS NULL`), so of any number of simultaneous claims exactly one succeeds. When no
/// row changed: 404 `lead_not_found` ("Lead not found"), 409 `lead_inactive` ("Lead is not
/// active") for a deleted lead, else 409 `lead_not_available` ("Lead is not available for
/// claiming", the message says why). Publishes `event.lead_claimed {lead, operatorId}`; the claim
/// returns to `pending` after `IBRAT_CLAIM_TIMEOUT` without a call (`ClaimExpiryTimer`).
///
/// Release gives a claimed lead back (→ `pending`, unassigned): the claiming operator, or an admin
/// (`actorRole: "admin"`; absent means operator) for anyone's claim. 404 unknown/deleted; 409 `lead_not_claimed` when it is not claimed; 403
/// `lead_assigned_to_other` when another operator holds it. Publishes `event.lead_status_changed`.

import Shared

struct ClaimLeadCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func claim(_ command: ClaimLeadBody) throws -> JSONObject {
        let actorId = command.actorId
        let leadId = command.leadId
        let store = daemon.store
        let now = daemon.clock.nowMillis()
        let events = daemon.events
        let json: JSON? = try daemon.commit {
            guard try store.claim(id: leadId, operatorId: actorId, now: now) else { return nil }
            let json = try store.json(id: leadId)
            events.leadClaimed(json, operatorId: actorId)
            return json
        }
        guard let json else { throw try refusal(leadId: leadId, actorId: actorId) }
        daemon.logger.info("lead claimed", ["LEAD_ID": leadId, "USER_ID": actorId])
        daemon.claimExpiry.leadClaimed(at: now)
        return ["lead": json]
    }

    private func refusal(leadId: LeadID, actorId: String) throws -> IPCError {
        guard let lead = try daemon.store.record(id: leadId) else { return QueueErrors.leadNotFound(leadId) }
        guard lead.isActive else { return QueueErrors.leadInactive(leadId) }
        switch (lead.status, lead.assignedTo) {
        case (.claimed, actorId?):
            return QueueErrors.leadNotAvailable("You have already claimed this lead")
        case (.claimed, _):
            return QueueErrors.leadNotAvailable("Lead is already claimed by another operator")
        case (.pending, _?):
            return QueueErrors.leadNotAvailable("Lead is assigned to another operator")
        default:
            return QueueErrors.leadNotAvailable("Lead is \(lead.status.rawValue)")
        }
    }

    func release(_ command: ReleaseLeadBody) throws -> JSONObject {
        let actorId = command.actorId
        let role = command.actorRole
        let leadId = command.leadId
        let store = daemon.store
        guard let lead = try store.record(id: leadId) else { throw QueueErrors.leadNotFound(leadId) }
        guard lead.isActive else { throw QueueErrors.leadDeleted(leadId) }
        guard lead.status == .claimed else {
            throw IPCError.conflict(code: .leadNotClaimed, error: "Lead is not claimed",
                                    message: "Lead \(leadId) is \(lead.status.rawValue)")
        }
        let holder = role == .admin ? (lead.assignedTo ?? actorId) : actorId
        let now = daemon.clock.nowMillis()
        let events = daemon.events
        let json: JSON = try daemon.commit {
            switch try store.apply(.release(operatorId: holder), to: lead, actor: actorId, now: now) {
            case .success(let transition):
                let json = try store.json(id: leadId)
                events.leadStatusChanged(json, from: transition.from, to: transition.to, reason: transition.reason,
                                         actorId: actorId)
                return json
            case .failure:
                throw IPCError.forbidden(code: .leadAssignedToOther, error: "Lead is assigned to another operator",
                                         message: "Only the operator who claimed lead \(leadId) (or an admin) can release it")
            }
        }
        daemon.logger.info("lead claim released", ["LEAD_ID": leadId, "USER_ID": actorId])
        return ["lead": json]
    }
}
