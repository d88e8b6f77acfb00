import Shared

/// `GET /api/leads/:id` (route #9) from SQL: the lead in the `LeadJSON` shape with `assignedTo`
/// populated as `{_id,id,name,email,phone}` when that user exists, plus `callHistory`, the lead's
/// calls newest first (`{_id,id,status,duration,startTime,endTime,salesperson}`, `salesperson`
/// being `{_id,id,name}` or null), read from the dialer's `calls` table (empty while that table
/// does not exist yet). Visibility follows the list: a soft-deleted lead is gone (404) unless an
/// admin asks with `includeDeleted=true`; operators see active leads that are unassigned or
/// assigned to them.
final class LeadDetailQuery {
    /// Most calls listed in `callHistory` (the newest ones).
    static let maxCallHistory = 200

    private let db: Database

    init(db: Database) {
        self.db = db
    }

    /// Who is asking: admins see every active lead (and deleted ones when asked), operators a
    /// scoped view.
    enum Viewer: Equatable {
        case admin(includeDeleted: Bool)
        case operator_(id: String)
    }

    /// Whether `viewer` may see a lead (also `GET /api/leads/:id/history`): admins every active lead
    /// (and deleted ones when asked), operators active leads unassigned or assigned to them.
    static func isVisible(isActive: Bool, assignedTo: String?, to viewer: Viewer) -> Bool {
        switch viewer {
        case .admin(let includeDeleted): return includeDeleted || isActive
        case .operator_(let userID): return isActive && (assignedTo == nil || assignedTo == userID)
        }
    }

    /// The lead object, or nil when it does not exist or is hidden from `viewer`.
    func lead(id: String, viewer: Viewer) throws -> JSONObject? {
        let sql = """
            SELECT \(LeadListQuery.qualifiedColumns), u.id AS user_id, u.name AS user_name,
                   u.email AS user_email, u.phone AS user_phone
            FROM leads l LEFT JOIN users u ON u.id = l.assigned_to WHERE l.id = ?
            """
        guard let row = try db.queryOne(sql, [.text(id)]),
              Self.isVisible(isActive: row.bool("is_active"), assignedTo: row.optionalString("assigned_to"), to: viewer)
        else { return nil }
        var lead = LeadJSON.render(row: row)
        if let user = LeadColumns.populatedUser(row, fields: [("email", "user_email"), ("phone", "user_phone")]) {
            lead["assignedTo"] = .object(user)
        }
        lead["callHistory"] = .array(try callHistory(leadID: id).map(JSON.object))
        return lead
    }

    /// The lead's calls, newest first; [] when the `calls` table does not exist yet.
    func callHistory(leadID: String) throws -> [JSONObject] {
        let sql = """
            SELECT c.id, c.status, c.duration, c.start_time, c.end_time,
                   u.id AS user_id, u.name AS user_name
            FROM calls c LEFT JOIN users u ON u.id = c.operator_id
            WHERE c.lead_id = ? ORDER BY c.created_at DESC, c.rowid DESC LIMIT \(Self.maxCallHistory)
            """
        var calls: [JSONObject] = []
        do {
            try db.forEachRow(sql, [.text(leadID)]) { row in
                let id = JSON.string(row.string("id"))
                calls.append(JSONObject([
                    ("_id", id), ("id", id),
                    ("status", .string(row.string("status"))),
                    ("duration", .int(row.int("duration"))),
                    ("startTime", LeadJSON.time(row.optionalInt("start_time"))),
                    ("endTime", LeadJSON.time(row.optionalInt("end_time"))),
                    ("salesperson", LeadColumns.populatedUser(row, fields: []).map(JSON.object) ?? .null),
                ]))
            }
        } catch let error as DatabaseError where error.isNoSuchTable {
            return []
        }
        return calls
    }
}
