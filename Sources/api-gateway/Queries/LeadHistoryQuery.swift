import Shared

/// `GET /api/leads/:id/history` (console round 2, issue 13): what happened to one lead, read from
/// SQL — its calls (newest first, the whole `CallJSON` shape with `disposition`, `notes`,
/// `endReason`, and `salesperson` populated as `{_id,id,name}` or null) and its `lead_events`
/// (status changes and field edits with who did them and why, newest first, `actor` populated as
/// `{_id,id,name}` for a user, else the queue's word such as `system`). Visibility follows
/// `GET /api/leads/:id`: admins see every lead (a deleted one with `includeDeleted`), operators an
/// active lead that is unassigned or assigned to them; otherwise nil (404). Tables a daemon has
/// not created yet read as empty.
struct LeadHistoryQuery {
    /// Most calls and events listed (the newest); `callsTotal`/`eventsTotal` count them all.
    static let maxCalls = LeadDetailQuery.maxCallHistory
    static let maxEvents = 500

    let db: Database

    func history(id: String, viewer: LeadDetailQuery.Viewer) throws -> JSONObject? {
        let row = try CallTables.orEmpty(nil) {
            try db.queryOne("SELECT is_active, assigned_to, status, call_attempts FROM leads WHERE id = ?", [.text(id)])
        }
        guard let lead = row, LeadDetailQuery.isVisible(isActive: lead.bool("is_active"),
                                                        assignedTo: lead.optionalString("assigned_to"), to: viewer)
        else { return nil }
        let (calls, callsTotal) = try self.calls(leadID: id)
        let (events, eventsTotal) = try self.events(leadID: id)
        return JSONObject([
            ("leadId", .string(id)), ("status", .string(lead.string("status"))),
            ("callAttempts", .int(lead.int("call_attempts"))),
            ("calls", .array(calls)), ("callsTotal", .int(callsTotal)),
            ("events", .array(events)), ("eventsTotal", .int(eventsTotal)),
        ])
    }

    private func calls(leadID: String) throws -> ([JSON], Int64) {
        try CallTables.orEmpty(([], 0)) {
            var calls: [JSON] = []
            try db.forEachRow("""
                SELECT c.*, u.id AS user_id, u.name AS user_name
                FROM calls c LEFT JOIN users u ON u.id = c.operator_id
                WHERE c.lead_id = ? ORDER BY c.created_at DESC, c.rowid DESC LIMIT \(Self.maxCalls)
                """, [.text(leadID)]) { row in
                var call = CallJSON.render(row: row)
                call["salesperson"] = LeadColumns.populatedUser(row, fields: []).map(JSON.object) ?? .null
                calls.append(.object(call))
            }
            let total = try db.queryOne("SELECT count(*) FROM calls WHERE lead_id = ?", [.text(leadID)])?.int(at: 0) ?? 0
            return (calls, total)
        }
    }

    private func events(leadID: String) throws -> ([JSON], Int64) {
        try CallTables.orEmpty(([], 0)) {
            var events: [JSON] = []
            try db.forEachRow("""
                SELECT e.id, e.at, e.actor, e.from_status, e.to_status, e.reason, u.id AS user_id, u.name AS user_name
                FROM lead_events e LEFT JOIN users u ON u.id = e.actor
                WHERE e.lead_id = ? ORDER BY e.at DESC, e.id DESC LIMIT \(Self.maxEvents)
                """, [.text(leadID)]) { row in
                let actor = LeadColumns.populatedUser(row, fields: []).map(JSON.object) ?? .string(row.string("actor"))
                events.append(.object(JSONObject([
                    ("id", .int(row.int("id"))), ("at", LeadJSON.time(row.optionalInt("at"))), ("actor", actor),
                    ("fromStatus", JSON.from(row.optionalString("from_status"))),
                    ("toStatus", .string(row.string("to_status"))), ("reason", .string(row.string("reason"))),
                ])))
            }
            let total = try db.queryOne("SELECT count(*) FROM lead_events WHERE lead_id = ?", [.text(leadID)])?.int(at: 0) ?? 0
            return (events, total)
        }
    }
}
