/// SQL access to `leads` and `lead_events` for the queue-daemon, on the loop thread's connection.
/// Reads return `LeadRecord`s or raw rows (for `LeadJSON`); every write method must run inside
/// `db.transaction` and appends its `lead_events` row (lead_id, at, actor = user id or "system",
/// from_status, to_status, reason) in the same transaction, so a lead never changes silently.
/// Statements are prepared once and cached by the `Database`. Inside `transaction` (see
/// `LeadStore+Transaction`) every write also lands in `changes`, the change set the commit returns.

import Shared

/// A write found the lead in a different state than the one it was read in (should not happen:
/// the loop thread is the only writer; reported as a 500 if it ever does).
struct LeadStoreConflict: Error, CustomStringConvertible {
    let leadId: LeadID
    var description: String { "lead \(leadId) changed under a write" }
}

final class LeadStore {
    /// `lead_events.actor` for changes the daemon makes by itself (claim expiry, recovery).
    static let systemActor = "system"

    let db: Database
    let machine: LeadStateMachine
    /// What the open `transaction` changed so far; nil outside one (raw `db.transaction`s of the
    /// dispatcher, which keeps its scheduler in step itself, are not collected).
    var changes: QueueChangeSet?

    init(db: Database, machine: LeadStateMachine = LeadStateMachine()) {
        self.db = db
        self.machine = machine
    }

    // MARK: Reads

    func row(id: LeadID) throws -> Row? {
        try db.queryOne("SELECT \(LeadJSON.columns) FROM leads WHERE id = ?", [.text(id)])
    }

    func record(id: LeadID) throws -> LeadRecord? {
        try row(id: id).map(LeadRecord.init(row:))
    }

    /// The lead rendered for a reply or event (`{}` if it vanished, which it cannot).
    func json(id: LeadID) throws -> JSON {
        .object(try row(id: id).map(LeadJSON.render(row:)) ?? JSONObject())
    }

    /// Whether any lead other than `exceptLead` (active or soft-deleted) has `phone`.
    func isPhoneTaken(_ phone: String, exceptLead: LeadID? = nil) throws -> Bool {
        guard let row = try db.queryOne("SELECT id FROM leads WHERE phone = ?", [.text(phone)]) else { return false }
        return row.string(at: 0) != exceptLead
    }

    /// Active leads per status (every status present, 0 when none), from `lead_counts` (issue 16).
    func activeStatusCounts() throws -> [LeadStatus: Int] {
        var counts = Dictionary(uniqueKeysWithValues: LeadStatus.allCases.map { ($0, 0) })
        for (status, n) in try LeadCounts.byStatus(db) {
            if let status = LeadStatus(rawValue: status) { counts[status] = Int(n) }
        }
        return counts
    }

    /// Pending active leads whose time zone is unknown (not dialed automatically, issue 12).
    func unknownTimezoneCount() throws -> Int {
        Int(try LeadCounts.unknownZonePending(db))
    }

    /// The oldest `claimed_at` among claimed leads, nil when nothing is claimed.
    func earliestClaimedAt() throws -> Int64? {
        try db.queryOne("SELECT MIN(claimed_at) FROM leads WHERE status = 'claimed'")?.optionalInt(at: 0)
    }

    // MARK: Writes (inside db.transaction)

    /// Inserts a pending lead with its `lead_events` row; false when the phone already exists
    /// (active or soft-deleted), in which case nothing is written.
    func insert(_ lead: NewLead, id: LeadID, source: LeadSource, zone: ResolvedTimeZone, actor: String, reason: String,
                now: Int64) throws -> Bool {
        let inserted = try db.run("""
            INSERT INTO leads(id, phone, name, email, status, priority, priority_rank, notes, tags, source,
                              is_active, created_at, updated_at, timezone, timezone_source)
            VALUES(?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT(phone) DO NOTHING
            """, [.text(id), .text(lead.phone), .text(lead.name), .text(lead.email), .text(lead.priority.rawValue),
                  .int(Int64(lead.priority.rank)), .text(lead.notes), .text(LeadJSON.tagsColumn(lead.tags)),
                  .text(source.rawValue), .int(now), .int(now), SQLValue(zone.column), .text(zone.source.rawValue)])
        guard inserted == 1 else { return false }
        try LeadCounts.countInserted(db, where: "rowid = last_insert_rowid()", [])  // issue 16
        try appendEvent(leadId: id, at: now, actor: actor, from: nil, to: .pending, reason: reason)
        changes?.touched(id)
        return true
    }

    /// Writes the editable fields of `lead` (name, email, phone, notes, tags, priority and its rank,
    /// time zone) and an event row with the same status on both sides. Throws on a duplicate phone.
    func writeFields(of lead: LeadRecord, actor: String, reason: String, now: Int64) throws {
        let changed = try db.run("""
            UPDATE leads SET name = ?, email = ?, phone = ?, notes = ?, tags = ?, priority = ?, priority_rank = ?,
                             timezone = ?, timezone_source = ?, updated_at = ? WHERE id = ?
            """, [.text(lead.name), .text(lead.email), .text(lead.phone), .text(lead.notes),
                  .text(LeadJSON.tagsColumn(lead.tags)), .text(lead.priority.rawValue),
                  .int(Int64(lead.priority.rank)), SQLValue(lead.timezone.column), .text(lead.timezone.source.rawValue),
                  .int(now), .text(lead.id)])
        guard changed == 1 else { throw LeadStoreConflict(leadId: lead.id) }
        try appendEvent(leadId: lead.id, at: now, actor: actor, from: lead.status, to: lead.status, reason: reason)
        changes?.touched(lead.id)
    }

    /// Writes `transition` (computed by the state machine from `lead`) and its event row. The
    /// update is guarded on the status it was computed from.
    func write(_ transition: LeadTransition, on lead: LeadSnapshot, actor: String, now: Int64) throws {
        let after = lead.applying(transition)
        let changed = try db.run("""
            UPDATE leads SET status = ?, call_attempts = ?, next_call_time = ?, last_call_attempt = ?,
                             assigned_to = ?, claimed_at = ?, is_active = ?, updated_at = ?, hold_reason = NULL,
                             callback_operator = CASE WHEN ? = 'pending' THEN callback_operator END,
                             callback_at = CASE WHEN ? = 'pending' THEN callback_at END
            WHERE id = ? AND status = ?
            """, [.text(after.status.rawValue), .int(Int64(after.attempts)), SQLValue(after.nextCallTime),
                  SQLValue(after.lastCallAttempt), SQLValue(after.assignedTo), SQLValue(after.claimedAt),
                  SQLValue(after.isActive), .int(now), .text(after.status.rawValue), .text(after.status.rawValue),
                  .text(lead.id), .text(lead.status.rawValue)])
        guard changed == 1 else { throw LeadStoreConflict(leadId: lead.id) }
        try appendEvent(leadId: lead.id, at: now, actor: actor, from: transition.from, to: transition.to,
                        reason: transition.reason)
        changes?.record(after)
    }

    /// Runs `event` through the state machine and writes the transition when it is allowed.
    func apply(_ event: LeadEvent, to lead: LeadRecord, actor: String, now: Int64) throws -> LeadStateMachine.Outcome {
        let outcome = machine.apply(event, to: lead.snapshot, now: now)
        if case .success(let transition) = outcome, transition.changesAnything {
            try write(transition, on: lead.snapshot, actor: actor, now: now)
        }
        return outcome
    }

    func appendEvent(leadId: LeadID, at: Int64, actor: String, from: LeadStatus?, to: LeadStatus, reason: String) throws {
        try db.run("INSERT INTO lead_events(lead_id, at, actor, from_status, to_status, reason) VALUES(?, ?, ?, ?, ?, ?)",
                   [.text(leadId), .int(at), .text(actor), SQLValue(from?.rawValue), .text(to.rawValue), .text(reason)])
    }

    /// Holds a pending lead until `until` for a dialing rule (`reason`, e.g. `daily_cap`): not an
    /// attempt, only its `next_call_time` moves. False when the lead is no longer pending.
    func hold(id: LeadID, until: Int64, reason: String, now: Int64) throws -> Bool {
        let changed = try db.run("""
            UPDATE leads SET next_call_time = ?, hold_reason = ?, updated_at = ? WHERE id = ? AND status = 'pending'
            """, [.int(until), .text(reason), .int(now), .text(id)])
        guard changed == 1 else { return false }
        try appendEvent(leadId: id, at: now, actor: Self.systemActor, from: .pending, to: .pending,
                        reason: "held by the dialing rules (\(reason)) until \(Timestamp.iso8601(millis: until))")
        changes?.touched(id)
        return true
    }

    /// Records a disposition on the lead (issue 12) with an event row; with `callback`, also the
    /// reservation (operator and time) and `next_call_time`; any other disposition drops a
    /// reservation made by an earlier one.
    func recordDisposition(id: LeadID, disposition: String, callback: (operatorId: OperatorID, at: Int64)?,
                           actor: String, reason: String, now: Int64) throws {
        guard let lead = try record(id: id) else { throw LeadStoreConflict(leadId: id) }
        if let callback {
            try db.run("""
                UPDATE leads SET disposition = ?, callback_operator = ?, callback_at = ?, next_call_time = ?,
                                 updated_at = ? WHERE id = ?
                """, [.text(disposition), .text(callback.operatorId), .int(callback.at), .int(callback.at), .int(now),
                      .text(id)])
        } else {
            try db.run("""
                UPDATE leads SET disposition = ?, callback_operator = NULL, callback_at = NULL, updated_at = ? WHERE id = ?
                """, [.text(disposition), .int(now), .text(id)])
        }
        try appendEvent(leadId: id, at: now, actor: actor, from: lead.status, to: lead.status, reason: reason)
        changes?.touched(id)
    }

    /// Drops a call-back reservation whose grace passed: anyone may take the lead now.
    func releaseCallback(id: LeadID, operatorId: OperatorID, now: Int64) throws -> Bool {
        let changed = try db.run("""
            UPDATE leads SET callback_operator = NULL, updated_at = ? WHERE id = ? AND callback_operator = ?
            """, [.int(now), .text(id), .text(operatorId)])
        guard changed == 1 else { return false }
        try appendEvent(leadId: id, at: now, actor: Self.systemActor, from: .pending, to: .pending,
                        reason: "call-back was reserved for operator \(operatorId), who did not take it in time: "
                            + "now dialed by anyone")
        changes?.touched(id)
        return true
    }

    /// The atomic claim: only a pending, active, unassigned lead changes, so of any number of
    /// simultaneous claims exactly one succeeds. True when this call claimed it.
    func claim(id: LeadID, operatorId: String, now: Int64) throws -> Bool {
        let changed = try db.run("""
            UPDATE leads SET status = 'claimed', assigned_to = ?, claimed_at = ?, updated_at = ?,
                             callback_operator = NULL, callback_at = NULL
            WHERE id = ? AND status = 'pending' AND is_active = 1 AND assigned_to IS NULL
            """, [.text(operatorId), .int(now), .int(now), .text(id)])
        guard changed == 1 else { return false }
        try appendEvent(leadId: id, at: now, actor: operatorId, from: .pending, to: .claimed,
                        reason: "claimed by operator \(operatorId)")
        changes?.touched(id)
        return true
    }

    /// Returns every lead claimed at or before `before` to `pending` (claim timeout), with event
    /// rows by "system". Returns the transitions written, oldest claim first.
    func expireClaims(before: Int64, now: Int64) throws -> [LeadTransition] {
        var due: [LeadRecord] = []
        try db.forEachRow("""
            SELECT \(LeadJSON.columns) FROM leads WHERE status = 'claimed' AND claimed_at <= ? ORDER BY claimed_at
            """, [.int(before)]) { due.append(LeadRecord(row: $0)) }
        var written: [LeadTransition] = []
        for lead in due {
            if case .success(let transition) = try apply(.claimExpired, to: lead, actor: Self.systemActor, now: now) {
                written.append(transition)
            }
        }
        return written
    }
}
