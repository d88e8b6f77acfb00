import Shared

/// The read-only user queries behind `/api/users` lists and summaries (reference #20, #21, #27,
/// §6.6), straight from SQL on the loop thread. Filters are bound parameters; `search` is a
/// literal, case-insensitive (ASCII) substring over name, email and phone.
public struct UserQueries {
    /// Filters of `GET /api/users`.
    public struct Filter {
        public var role: UserRole?
        public var isActive: Bool?
        public var search: String?

        public init(role: UserRole? = nil, isActive: Bool? = nil, search: String? = nil) {
            self.role = role
            self.isActive = isActive
            self.search = search
        }
    }

    /// Newest users shown by the summary.
    public static let recentUsersCount = 10

    public let db: Database

    public init(db: Database) { self.db = db }

    /// One page of users, newest first, and the total matching the filter.
    public func list(_ filter: Filter, page: Pagination) throws -> (users: [UserRecord], total: Int) {
        var conditions: [String] = []
        var params: [SQLValue] = []
        if let role = filter.role {
            conditions.append("role = ?")
            params.append(.text(role.rawValue))
        }
        if let active = filter.isActive {
            conditions.append("is_active = ?")
            params.append(SQLValue(active))
        }
        if let search = filter.search {
            let pattern = LikePattern.contains(search)
            conditions.append("(" + ["name", "email", "phone"].map(LikePattern.clause).joined(separator: " OR ") + ")")
            params += [.text(pattern), .text(pattern), .text(pattern)]
        }
        let whereSQL = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = Int(try db.queryOne("SELECT count(*) AS n FROM users" + whereSQL, params)?.int("n") ?? 0)
        let rows = try db.query("SELECT \(UserRecord.columns) FROM users" + whereSQL
                                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", params + page.sqlParams)
        return (rows.compactMap(UserRecord.init(row:)), total)
    }

    /// Call figures for each of `userIDs` from the dialer's `call_counts` (issue 16;
    /// missing ids get zeros; zeros for all while the dialer has not created it).
    public func callStats(for userIDs: [String]) throws -> [String: UserJSON.CallStats] {
        guard !userIDs.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: userIDs.count).joined(separator: ", ")
        var result: [String: UserJSON.CallStats] = [:]
        do {
            try db.forEachRow("""
                SELECT operator_id, calls AS total, completed AS ok, duration AS secs FROM call_counts
                WHERE day = \(CallCounts.allTime) AND kind = 'operator' AND operator_id IN (\(marks))
                """, userIDs.map(SQLValue.text)) { row in
                result[row.string("operator_id")] = UserJSON.CallStats(
                    totalCalls: row.int("total"), successfulCalls: row.int("ok"), totalDuration: row.int("secs"))
            }
        } catch let error as DatabaseError where error.isNoSuchTable {
            return [:]
        }
        return result
    }

    /// Active, available operators, by name: `{_id, id, name, email, phone, isAvailable}`.
    public func availableOperators() throws -> [JSON] {
        try db.query("""
            SELECT id, name, email, phone, is_available FROM users
            WHERE role = 'operator' AND is_active = 1 AND is_available = 1 ORDER BY name, id
            """).map { row in
            let id = row.string("id")
            return .object(JSONObject([("_id", .string(id)), ("id", .string(id)), ("name", .string(row.string("name"))),
                                       ("email", .string(row.string("email"))), ("phone", .string(row.string("phone"))),
                                       ("isAvailable", .bool(row.bool("is_available")))]))
        }
    }

    /// §6.6: `{summary: {totalUsers, activeUsers, availableSalespeople, totalAdmins,
    /// totalSalespeople}, recentUsers: [...]}`.
    public func summary() throws -> JSONObject {
        let row = try db.queryOne("""
            SELECT count(*) AS total, coalesce(sum(is_active), 0) AS active,
                   coalesce(sum(role = 'operator' AND is_active = 1 AND is_available = 1), 0) AS available,
                   coalesce(sum(role = 'admin'), 0) AS admins, coalesce(sum(role = 'operator'), 0) AS operators
            FROM users
            """)
        func n(_ key: String) -> JSON { .int(row?.int(key) ?? 0) }
        let summary = JSONObject([("totalUsers", n("total")), ("activeUsers", n("active")),
                                  ("availableSalespeople", n("available")), ("totalAdmins", n("admins")),
                                  ("totalSalespeople", n("operators"))])
        let recent = try db.query("SELECT \(UserRecord.columns) FROM users ORDER BY created_at DESC, id DESC LIMIT ?",
                                  [.int(Int64(Self.recentUsersCount))]).compactMap(UserRecord.init(row:)).map { user in
            JSON.object(JSONObject([("_id", .string(user.id)), ("id", .string(user.id)), ("name", .string(user.name)),
                                    ("email", .string(user.email)), ("role", .string(user.role.wireName)),
                                    ("isActive", .bool(user.isActive)), ("isAvailable", .bool(user.isAvailable)),
                                    ("lastLogin", user.lastLogin.map { .string(Timestamp.iso8601(millis: $0)) } ?? .null)]))
        }
        return JSONObject([("summary", .object(summary)), ("recentUsers", .array(recent))])
    }
}
