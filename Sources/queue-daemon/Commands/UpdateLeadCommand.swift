/// `queue.update_lead {actorId, actorRole, leadId, name?, email?, priority?, notes?, tags?, phone?,
/// status?, timezone?}` → `{lead}`. `timezone`: an IANA name sets it (`explicit`), "" or null goes
/// back to the zone of the phone; a new phone re-resolves a zone that was not explicit.
///
/// Only the keys present are changed; each is validated as in `queue.create_lead`. A `status`
/// different from the current one goes through the state machine's admin-set event (settable:
/// pending = re-queue, failed, transferred; unknown value → 400 listing the statuses; refused →
/// 409 `invalid_status_transition` naming the current status and the allowed targets); the same
/// status is no change. `actorRole` is required; operators (operator/salesperson) may update only leads
/// assigned to them and may not change priority or status (403 `access_denied`, "Access denied.
/// You can only update leads assigned to you."). 404 `lead_not_found` ("Lead not found") for an
/// unknown or deleted lead; 409 `duplicate_phone` when another lead has the new phone.
/// `priority_rank` and `updated_at` follow every change; one `lead_events` row per write.
/// Publishes `event.lead_status_changed {lead, from, to, reason, actorId}` when the status changed,
/// else `event.lead_updated {lead, actorId, fields}`; nothing when nothing changed.

import Shared

struct UpdateLeadCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func run(_ command: UpdateLeadBody) throws -> JSONObject {
        let actorId = command.actorId
        let role = command.actorRole
        let leadId = command.leadId
        let requested = try requestedFields(command)
        let store = daemon.store
        let now = daemon.clock.nowMillis()
        guard let lead = try store.record(id: leadId) else { throw QueueErrors.leadNotFound(leadId) }
        guard lead.isActive else { throw QueueErrors.leadDeleted(leadId) }

        var updated = lead
        var fields: [String] = []
        func change<V: Equatable>(_ key: String, _ path: WritableKeyPath<LeadRecord, V>, _ value: V?) {
            guard let value, updated[keyPath: path] != value else { return }
            updated[keyPath: path] = value
            fields.append(key)
        }
        change("name", \.name, requested.name)
        change("email", \.email, requested.email)
        change("phone", \.phone, requested.phone)
        change("notes", \.notes, requested.notes)
        change("tags", \.tags, requested.tags)
        change("priority", \.priority, requested.priority)
        let zone: ResolvedTimeZone? = switch requested.timezone {
        case .set(let name): daemon.zoneResolver.resolve(phone: updated.phone, explicit: name)
        case .cleared: daemon.zoneResolver.resolve(phone: updated.phone)
        case .unchanged: fields.contains("phone") && lead.timezone.source != .explicit
            ? daemon.zoneResolver.resolve(phone: updated.phone) : nil
        }
        change("timezone", \.timezone, zone)
        let newStatus = requested.status.flatMap { $0 == lead.status ? nil : $0 }

        if role == .operator_ {
            guard lead.assignedTo == actorId else {
                throw QueueErrors.accessDenied("Lead \(leadId) is not assigned to you")
            }
            guard newStatus == nil, !fields.contains("priority") else {
                throw QueueErrors.accessDenied("Operators cannot change a lead's priority or status")
            }
        }
        if fields.contains("phone"), try store.isPhoneTaken(updated.phone, exceptLead: leadId) {
            throw QueueErrors.duplicatePhone(updated.phone)
        }
        let transition = try newStatus.map {
            try StatusChangeRules.transition(to: $0, lead: lead, machine: store.machine, now: now)
        }
        guard !fields.isEmpty || transition != nil else { return ["lead": try store.json(id: leadId)] }

        let events = daemon.events
        let json: JSON = try daemon.commit {
            if !fields.isEmpty {
                try store.writeFields(of: updated, actor: actorId, reason: "updated " + fields.joined(separator: ", "), now: now)
                if fields.contains("phone") { try daemon.dnc.syncFlag(leadId: leadId, now: now) }
            }
            if let transition { try store.write(transition, on: lead.snapshot, actor: actorId, now: now) }
            let json = try store.json(id: leadId)
            if let transition {
                events.leadStatusChanged(json, from: transition.from, to: transition.to, reason: transition.reason,
                                         actorId: actorId)
            } else {
                events.leadUpdated(json, actorId: actorId, fields: fields)
            }
            return json
        }
        let logFields = ["LEAD_ID": leadId, "USER_ID": actorId]
        if let transition {
            daemon.logger.info("lead status set: \(transition.from.rawValue) -> \(transition.to.rawValue)", logFields)
        } else {
            daemon.logger.info("lead updated: \(fields.joined(separator: ", "))", logFields)
        }
        return ["lead": json]
    }

    private struct Requested {
        var name, email, phone, notes: String?
        var tags: [String]?
        var priority: LeadPriority?
        var status: LeadStatus?
        var timezone: FieldUpdate<String> = .unchanged
    }

    private func requestedFields(_ command: UpdateLeadBody) throws -> Requested {
        let body = command.fields
        var requested = Requested()
        requested.name = try body.name.map(LeadFieldValidator.name)
        requested.email = try body.email.map(LeadFieldValidator.email)
        requested.phone = try body.phone.map { try LeadFieldValidator.phone($0) }
        requested.notes = try body.notes.map(LeadFieldValidator.notes)
        requested.tags = try body.tags.map { try LeadFieldValidator.tags($0) }
        requested.priority = try body.priority.map { try LeadFieldValidator.priority($0) }
        requested.status = try command.status.map { try StatusChangeRules.parse($0) }
        if let text = body.timezone {
            requested.timezone = text.isEmpty ? .cleared : .set(try LeadFieldValidator.timezone(text))
        }
        return requested
    }
}
