import Shared

/// Reads and writes `users` (owned by the gateway) with a `UserCache` in front of lookups by id.
/// Every write here invalidates the cached row, so role and active changes take effect on the
/// very next request. Writes run in short `BEGIN IMMEDIATE` transactions on the loop thread.
public final class UserStore {
    /// The changes `update` applies; nil fields are left alone.
    public struct Changes {
        public var name: String?
        public var email: String?
        public var phone: String?
        public var role: UserRole?
        public var isActive: Bool?
        public var isAvailable: Bool?
        public var passwordHash: String?
        public var lastLogin: Int64?

        var isEmpty: Bool {
            name == nil && email == nil && phone == nil && role == nil && isActive == nil
                && isAvailable == nil && passwordHash == nil && lastLogin == nil
        }
    }

    public let db: Database
    public let cache: UserCache

    public init(db: Database, cache: UserCache = UserCache()) {
        self.db = db
        self.cache = cache
    }

    /// The user with `id` (cached), nil when missing or the row is unusable.
    public func user(id: String) throws -> UserRecord? {
        if let cached = cache.get(id) { return cached }
        guard let row = try db.queryOne("SELECT \(UserRecord.columns) FROM users WHERE id = ?", [.text(id)]),
              let user = UserRecord(row: row) else { return nil }
        cache.put(user)
        return user
    }

    /// The user with `email` (already normalised: trimmed, lower-cased).
    public func user(email: String) throws -> UserRecord? {
        guard let row = try db.queryOne("SELECT \(UserRecord.columns) FROM users WHERE email = ?", [.text(email)])
        else { return nil }
        return UserRecord(row: row)
    }

    /// Whether another user (not `excludingID`) already has `email` or `phone`.
    public func isTaken(email: String?, phone: String?, excludingID: String? = nil) throws -> Bool {
        guard email != nil || phone != nil else { return false }
        let row = try db.queryOne("""
            SELECT 1 FROM users WHERE (email = ? OR phone = ?) AND (? IS NULL OR id <> ?) LIMIT 1
            """, [SQLValue(email), SQLValue(phone), SQLValue(excludingID), SQLValue(excludingID)])
        return row != nil
    }

    /// Inserts a new user; a duplicate email surfaces as a unique-constraint `DatabaseError`.
    public func insert(_ user: UserRecord) throws {
        try db.run("""
            INSERT INTO users(id, name, email, phone, password_hash, role, is_active, is_available, last_login,
                              created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(user.id), .text(user.name), .text(user.email), .text(user.phone), .text(user.passwordHash),
                  .text(user.role.rawValue), SQLValue(user.isActive), SQLValue(user.isAvailable),
                  SQLValue(user.lastLogin), .int(user.createdAt), .int(user.updatedAt)])
        cache.invalidate(user.id)
    }

    /// Applies `changes` and sets `updated_at = now`; returns the updated user (nil if missing).
    @discardableResult
    public func update(id: String, _ changes: Changes, now: Int64) throws -> UserRecord? {
        defer { cache.invalidate(id) }
        var sets: [String] = []
        var params: [SQLValue] = []
        func set(_ column: String, _ value: SQLValue?) {
            guard let value else { return }
            sets.append("\(column) = ?")
            params.append(value)
        }
        set("name", changes.name.map(SQLValue.text))
        set("email", changes.email.map(SQLValue.text))
        set("phone", changes.phone.map(SQLValue.text))
        set("role", changes.role.map { .text($0.rawValue) })
        set("is_active", changes.isActive.map { SQLValue($0) })
        set("is_available", changes.isAvailable.map { SQLValue($0) })
        set("password_hash", changes.passwordHash.map(SQLValue.text))
        set("last_login", changes.lastLogin.map(SQLValue.int))
        if !changes.isEmpty {
            sets.append("updated_at = ?")
            params.append(.int(now))
            params.append(.text(id))
            _ = try db.run("UPDATE users SET \(sets.joined(separator: ", ")) WHERE id = ?", params)
        }
        cache.invalidate(id)
        return try user(id: id)
    }

    /// Active admins (the last one can be neither deactivated nor deleted).
    public func activeAdminCount() throws -> Int {
        Int(try db.queryOne("SELECT count(*) AS n FROM users WHERE role = 'admin' AND is_active = 1")?.int("n") ?? 0)
    }

    /// Whether any admin exists, active or not (first-admin bootstrap).
    public func hasAdmin() throws -> Bool {
        try db.queryOne("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1") != nil
    }

    /// Call figures of `userID` from the dialer's `call_counts` (issue 16); zeros while
    /// that table does not exist yet (dialer-daemon has not run its migrations).
    public func callStats(userID: String) throws -> UserJSON.CallStats {
        do {
            guard let row = try db.queryOne("""
                SELECT calls AS total, completed AS ok, duration AS secs FROM call_counts
                WHERE day = \(CallCounts.allTime) AND kind = 'operator' AND operator_id = ?
                """, [.text(userID)]) else { return .zero }
            return UserJSON.CallStats(totalCalls: row.int("total"), successfulCalls: row.int("ok"),
                                      totalDuration: row.int("secs"))
        } catch let error as DatabaseError where error.isNoSuchTable {
            return .zero
        }
    }
}
