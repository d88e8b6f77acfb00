/// `queue.create_lead {actorId, phone, name?, email?, priority?, notes?, tags?, timezone?}` → `{lead}`.
/// The lead's zones are the explicit `timezone` (an IANA name) or resolved from the phone; a phone
/// on the do-not-call list is stored flagged (`doNotCall: true`) and never dialed.
///
/// Validates every field (`LeadFieldValidator`: phone E.164 `+` and 8–15 digits; name ≤ 100;
/// notes ≤ 500; email shape; priority urgent/high/medium/low, default medium; tags ≤ 20 strings of
/// ≤ 50 characters), inserts a `pending` lead with `source = 'manual'` and its `lead_events` row
/// (reason `created`), publishes `event.lead_created {lead, actorId}` and hands the lead to dispatch.
/// Errors: 400 `validation_failed` ("Validation failed"); 409 `duplicate_phone` ("Lead with this
/// phone number already exists") when any lead, soft-deleted ones included, has the phone.

import Shared

struct CreateLeadCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func run(_ command: CreateLeadBody) throws -> JSONObject {
        let actorId = command.actorId
        let lead = try LeadFieldValidator.newLead(from: command.fields)
        let zone = daemon.zoneResolver.resolve(phone: lead.phone, explicit: lead.timezone)
        let now = daemon.clock.nowMillis()
        let id = ObjectID.generate(nowMillis: now)
        let store = daemon.store
        let dnc = daemon.dnc
        let events = daemon.events
        let json: JSON = try daemon.commit {
            guard try store.insert(lead, id: id, source: .manual, zone: zone, actor: actorId, reason: "created", now: now) else {
                throw QueueErrors.duplicatePhone(lead.phone)
            }
            try dnc.syncFlag(leadId: id, now: now)
            let json = try store.json(id: id)
            events.leadCreated(json, actorId: actorId)
            return json
        }
        daemon.logger.info("lead created", ["LEAD_ID": id, "USER_ID": actorId, "PRIORITY": lead.priority.rawValue])
        return ["lead": json]
    }
}
