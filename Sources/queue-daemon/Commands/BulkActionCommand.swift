/// `queue.bulk_action {actorId, action, leadIds, data}` → `{action, modifiedCount, leadIds,
/// skipped: [{leadId, reason}]}` where `leadIds` are the leads changed and every other requested
/// lead is in `skipped` with the reason (not found, deleted, unchanged, refused by the state machine,
/// call in progress, too many tags).
///
/// Actions: `update_priority` (`data.priority` validated), `update_status` (`data.status`; each lead
/// through the admin-set event of the state machine), `add_tags` (`data.tags`, set union, at most
/// 20 tags per lead), `delete` (soft; leads in a call skipped), `update_timezone` (`data.timezone`,
/// an IANA name; empty or absent = back to the zone of the phone). Everything is written in ONE
/// transaction with one `lead_events` row per changed lead. Errors (400): action or leadIds missing
/// → "Invalid request: action and leadIds array required"; unknown action → "Invalid action
/// specified"; leadIds empty, over `FieldRules.bulkLeadIds`, or with ids that are not 24-hex (named) →
/// "Validation failed". Publishes `event.lead_status_changed` per changed lead for `update_status`,
/// then `event.leads_bulk_updated {action, leadIds, modifiedCount, actorId}`.

import Shared

struct BulkActionCommand {
    /// Leads one request may name.
    static let actions = BulkActionBody.Action.allCases.map(\.rawValue)

    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    private enum Action {
        case priority(LeadPriority), status(LeadStatus), addTags([String]), delete
        /// nil: back to the zone of the phone.
        case timezone(String?)
    }

    func run(_ command: BulkActionBody) throws -> JSONObject {
        let actorId = command.actorId
        let name = command.action.rawValue
        let action = try parseAction(command.change)
        let leadIds = try Self.parseIds(command.leadIds)
        let store = daemon.store
        let now = daemon.clock.nowMillis()
        var before: [LeadRecord] = []
        var skipped: [JSON] = []
        var transitions: [LeadTransition] = []
        let events = daemon.events
        try daemon.commit {
            for id in leadIds {
                guard let lead = try store.record(id: id) else { skipped.append(Self.skip(id, "Lead not found")); continue }
                guard lead.isActive else { skipped.append(Self.skip(id, "Lead is deleted")); continue }
                if let reason = try apply(action, to: lead, actorId: actorId, now: now, transitions: &transitions) {
                    skipped.append(Self.skip(id, reason))
                } else {
                    before.append(lead)
                }
            }
            for transition in transitions {
                events.leadStatusChanged(try store.json(id: transition.leadId), from: transition.from, to: transition.to,
                                         reason: transition.reason, actorId: actorId)
            }
            if !before.isEmpty { events.leadsBulkUpdated(action: name, leadIds: before.map(\.id), actorId: actorId) }
        }
        let modified = before.map(\.id)
        daemon.logger.info("bulk \(name): \(modified.count) changed, \(skipped.count) skipped", ["USER_ID": actorId])
        return ["action": .string(name), "modifiedCount": .int(Int64(modified.count)),
                "leadIds": .array(modified.map(JSON.string)), "skipped": .array(skipped)]
    }

    /// Writes `action` on `lead`; returns the reason when the lead is skipped.
    private func apply(_ action: Action, to lead: LeadRecord, actorId: String, now: Int64,
                       transitions: inout [LeadTransition]) throws -> String? {
        let store = daemon.store
        var updated = lead
        switch action {
        case .priority(let priority):
            guard priority != lead.priority else { return "Priority is already \(priority.rawValue)" }
            updated.priority = priority
            try store.writeFields(of: updated, actor: actorId, reason: "priority set to \(priority.rawValue) (bulk)", now: now)
        case .status(let status):
            switch store.machine.apply(.adminSetStatus(status), to: lead.snapshot, now: now) {
            case .failure(let refusal): return refusal.message
            case .success(let transition):
                try store.write(transition, on: lead.snapshot, actor: actorId, now: now)
                transitions.append(transition)
            }
        case .addTags(let tags):
            let added = tags.filter { !lead.tags.contains($0) }
            guard !added.isEmpty else { return "Tags already present" }
            guard lead.tags.count + added.count <= LeadFieldValidator.maxTags else {
                return "A lead may have at most \(LeadFieldValidator.maxTags) tags"
            }
            updated.tags += added
            try store.writeFields(of: updated, actor: actorId, reason: "tags added (bulk): " + added.joined(separator: ", "), now: now)
        case .timezone(let name):
            let zone = daemon.zoneResolver.resolve(phone: lead.phone, explicit: name)
            guard zone != lead.timezone else { return "Time zone is already \(zone.column ?? "unknown")" }
            updated.timezone = zone
            try store.writeFields(of: updated, actor: actorId, reason: "time zone set to \(zone.column ?? "unknown") "
                                  + "(\(zone.source.rawValue), bulk)", now: now)
        case .delete:
            guard !lead.hasCallInProgress else { return "Lead has a call in progress" }
            if case .failure(let refusal) = try store.apply(.softDelete, to: lead, actor: actorId, now: now) {
                return refusal.message
            }
        }
        return nil
    }

    private func parseAction(_ change: BulkChange) throws -> Action {
        switch change {
        case .updatePriority(let raw):
            return .priority(try LeadFieldValidator.priority(raw, field: "data.priority"))
        case .updateStatus(let raw):
            return .status(try StatusChangeRules.parse(raw, field: "data.status"))
        case .addTags(let raw):
            let tags = try LeadFieldValidator.tags(raw, field: "data.tags")
            guard !tags.isEmpty else { throw QueueErrors.validation("\"data.tags\" must name at least one tag") }
            return .addTags(tags)
        case .delete:
            return .delete
        case .updateTimezone(let raw):
            return .timezone(raw.isEmpty ? nil : try LeadFieldValidator.timezone(raw, field: "data.timezone"))
        }
    }

    /// Distinct valid ids in request order; 400 naming the bad ones.
    static func parseIds(_ raw: [String]) throws -> [LeadID] {
        guard !raw.isEmpty else { throw QueueErrors.validation("\"leadIds\" must name at least one lead") }
        // The last check of `FieldRules.bulkLeadIds` (the gateway checked it for its 400).
        if let message = FieldRules.bulkLeadIds.violation(count: raw.count) { throw QueueErrors.validation(message) }
        var ids: [LeadID] = []
        var seen = Set<LeadID>()
        var bad: [String] = []
        for id in raw {
            guard ObjectID.isValid(id) else {
                bad.append("\"\(CommandBody.clip(id, to: 30))\"")
                continue
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        guard bad.isEmpty else {
            let shown = bad.prefix(10).joined(separator: ", ") + (bad.count > 10 ? " and \(bad.count - 10) more" : "")
            throw QueueErrors.validation("\"leadIds\" must be 24-character hex ids; invalid: \(shown)")
        }
        return ids
    }

    private static func skip(_ id: LeadID, _ reason: String) -> JSON {
        .object(["leadId": .string(id), "reason": .string(reason)])
    }
}
