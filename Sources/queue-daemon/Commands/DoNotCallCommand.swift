/// The do-not-call list's commands (issue 12), owner-side; the gateway validates first, writes
/// the audit log and answers HTTP:
/// - `queue.dnc_add {actorId, phone, reason?, source?}` → `{entry, lead}`; 409 `already_listed`;
/// - `queue.dnc_remove {actorId, phone}` → `{phone, lead}`; 404 `not_listed`;
/// - `queue.dnc_import {actorId, rows: [[line, phone, reason], …]}` → `{successCount,
///   duplicateCount, leadsFlagged}` (one transaction; at most `maxImportRows`).
/// Adding a number flags its lead (`doNotCall: true`, out of the dispatch queue at once, a call
/// in progress is not cut); removing it unflags the lead and hands it back to dispatch. Each
/// change publishes `event.dnc_changed {action, phone, actorId, source}` and, for a lead,
/// `event.lead_updated {lead, actorId, fields: ["doNotCall"]}`.

import Shared

struct DoNotCallCommand {
    static let maxImportRows = 20_000

    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func add(_ command: DncAddBody) throws -> JSONObject {
        let actorId = command.actorId
        let phone = try LeadFieldValidator.phone(command.phone)
        let reason = try Self.reason(command.reason ?? "")
        let source = try command.source.map { raw in
            guard let source = DoNotCallSource(rawValue: raw) else {
                throw QueueErrors.validation("\"source\" must be manual, import or disposition")
            }
            return source
        } ?? .manual
        let (entry, lead) = try add(phone: phone, reason: reason, source: source, actorId: actorId)
        guard let entry else {
            throw IPCError.conflict(code: .alreadyListed, error: "Number is already on the do-not-call list",
                                    message: "\(phone) is already on the do-not-call list")
        }
        return ["entry": entry, "lead": lead]
    }

    /// Adds `phone` and flags its lead; (nil, _) when already listed. Used by dispositions too.
    func add(phone: String, reason: String, source: DoNotCallSource, actorId: String) throws -> (JSON?, JSON) {
        let dnc = daemon.dnc
        let now = daemon.clock.nowMillis()
        let events = daemon.events
        let changed: JSON? = try daemon.commit {
            guard try dnc.add(phone, reason: reason, source: source, addedBy: actorId, now: now) else { return nil }
            events.publish(DncChangedBody(action: .added, phone: phone, source: source.rawValue, actorId: actorId))
            let lead = try dnc.flagLead(phone: phone, to: true, actor: actorId,
                                        reason: "number added to the do-not-call list (\(source.rawValue))", now: now)
            return try lead.map { try announce($0, actorId: actorId) } ?? .null
        }
        guard let json = changed else { return (nil, .null) }
        daemon.logger.notice("number added to the do-not-call list (\(source.rawValue))", ["USER_ID": actorId])
        return (try dnc.entry(phone) ?? .null, json)
    }

    func remove(_ command: DncRemoveBody) throws -> JSONObject {
        let actorId = command.actorId
        let phone = try LeadFieldValidator.phone(command.phone)
        let dnc = daemon.dnc
        let now = daemon.clock.nowMillis()
        let events = daemon.events
        let changed: JSON? = try daemon.commit {
            guard try dnc.remove(phone) else { return nil }
            events.publish(DncChangedBody(action: .removed, phone: phone, actorId: actorId))
            let lead = try dnc.flagLead(phone: phone, to: false, actor: actorId,
                                        reason: "number removed from the do-not-call list", now: now)
            return try lead.map { try announce($0, actorId: actorId) } ?? .null
        }
        guard let json = changed else {
            throw IPCError(code: .notListed, status: 404, error: "Number not found on the do-not-call list",
                           message: "\(phone) is not on the do-not-call list")
        }
        daemon.logger.notice("number removed from the do-not-call list", ["USER_ID": actorId])
        return ["phone": .string(phone), "lead": json]
    }

    func importRows(_ command: DncImportBody) throws -> JSONObject {
        let actorId = command.actorId
        let rows = command.rows
        guard rows.count <= Self.maxImportRows else {
            throw QueueErrors.validation("\"rows\" may hold at most \(Self.maxImportRows) numbers (got \(rows.count))")
        }
        var entries: [(String, String)] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            entries.append((try LeadFieldValidator.phone(row.phone), try Self.reason(row.reason)))
        }
        let dnc = daemon.dnc
        let now = daemon.clock.nowMillis()
        var added = 0
        var flagged: [LeadRecord] = []
        let events = daemon.events
        try daemon.commit {
            for (phone, reason) in entries where try dnc.add(phone, reason: reason, source: .import, addedBy: actorId, now: now) {
                added += 1
                if let lead = try dnc.flagLead(phone: phone, to: true, actor: actorId,
                                               reason: "number added to the do-not-call list (import)", now: now) {
                    flagged.append(lead)
                }
            }
            if added > 0 {
                events.publish(DncChangedBody(action: .imported, count: Int64(added), actorId: actorId))
            }
            for lead in flagged { _ = try announce(lead, actorId: actorId) }
        }
        daemon.logger.notice("do-not-call import: \(added) of \(entries.count) numbers added, \(flagged.count) leads flagged",
                             ["USER_ID": actorId])
        return ["successCount": .int(Int64(added)), "duplicateCount": .int(Int64(entries.count - added)),
                "leadsFlagged": .int(Int64(flagged.count))]
    }

    /// Inside the commit, once the flag changed: the lead's event (dispatch hears of the lead
    /// through the change set). Returns the lead's JSON.
    private func announce(_ before: LeadRecord, actorId: String) throws -> JSON {
        let json = try daemon.store.json(id: before.id)
        daemon.events.leadUpdated(json, actorId: actorId, fields: ["doNotCall"])
        return json
    }

    static func reason(_ raw: String) throws -> String {
        let text = LeadFieldValidator.trimmed(raw)
        // The last check of `FieldRules.doNotCallReason` (the gateway checked it for its 400).
        if let message = FieldRules.doNotCallReason.violation(length: text) { throw QueueErrors.validation(message) }
        return text
    }
}
