/// SQL access to the do-not-call list (`dnc`, owned by the queue-daemon, issue 12) and the
/// `leads.do_not_call` flag that follows it. Every write runs inside the caller's transaction;
/// a lead whose flag changes gets a `lead_events` row (same status on both sides) saying why.

import Shared

/// Where a number on the list came from (`dnc.source`).
enum DoNotCallSource: String {
    case manual
    case `import`
    case disposition
}

final class DoNotCallStore {
    let db: Database
    let leads: LeadStore

    init(db: Database, leads: LeadStore) {
        self.db = db
        self.leads = leads
    }

    func contains(_ phone: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM dnc WHERE phone = ?", [.text(phone)]) != nil
    }

    func entry(_ phone: String) throws -> JSON? {
        try db.queryOne("SELECT phone, reason, source, added_by, created_at FROM dnc WHERE phone = ?", [.text(phone)])
            .map { .object(Self.render($0)) }
    }

    /// Adds `phone`; false when it was already listed (nothing written).
    func add(_ phone: String, reason: String, source: DoNotCallSource, addedBy: String?, now: Int64) throws -> Bool {
        try db.run("""
            INSERT INTO dnc(phone, reason, source, added_by, created_at) VALUES(?, ?, ?, ?, ?)
            ON CONFLICT(phone) DO NOTHING
            """, [.text(phone), .text(reason), .text(source.rawValue), SQLValue(addedBy), .int(now)]) == 1
    }

    /// Removes `phone`; false when it was not listed.
    func remove(_ phone: String) throws -> Bool {
        try db.run("DELETE FROM dnc WHERE phone = ?", [.text(phone)]) == 1
    }

    /// Sets `do_not_call` on the lead with `phone` (phones are unique) when it differs; returns
    /// the lead as it was before, nil when no lead changed.
    func flagLead(phone: String, to flag: Bool, actor: String, reason: String, now: Int64) throws -> LeadRecord? {
        guard let row = try db.queryOne("SELECT \(LeadJSON.columns) FROM leads WHERE phone = ?", [.text(phone)]) else {
            return nil
        }
        let lead = LeadRecord(row: row)
        guard lead.doNotCall != flag else { return nil }
        try db.run("UPDATE leads SET do_not_call = ?, updated_at = ? WHERE id = ?", [SQLValue(flag), .int(now), .text(lead.id)])
        try leads.appendEvent(leadId: lead.id, at: now, actor: actor, from: lead.status, to: lead.status, reason: reason)
        leads.changes?.touched(lead.id)
        return lead
    }

    /// Sets the flag of a lead just inserted or given a new phone from the list (no event: the
    /// insert or update event covers it). True when the number is listed.
    @discardableResult
    func syncFlag(leadId: LeadID, now: Int64) throws -> Bool {
        try db.run("""
            UPDATE leads SET do_not_call = (phone IN (SELECT phone FROM dnc)) WHERE id = ?
            """, [.text(leadId)])
        leads.changes?.touched(leadId)
        return try db.queryOne("SELECT do_not_call FROM leads WHERE id = ?", [.text(leadId)])?.int(at: 0) == 1
    }

    static func render(_ row: Row) -> JSONObject {
        JSONObject([
            ("phone", .string(row.string("phone"))), ("reason", .string(row.string("reason"))),
            ("source", .string(row.string("source"))), ("addedBy", JSON.from(row.optionalString("added_by"))),
            ("createdAt", LeadJSON.time(row.optionalInt("created_at"))),
        ])
    }
}
