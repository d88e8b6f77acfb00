import Shared

/// One row of `users` as the gateway holds it (the gateway is the only writer of that table,
/// RULES.md). `role` is already mapped to `UserRole`; a row with an unknown role is refused
/// by `init?(row:)` so it can never authenticate.
public struct UserRecord: Equatable {
    public static let columns = "id, name, email, phone, password_hash, role, is_active, is_available, "
        + "last_login, created_at, updated_at"

    public var id: String
    public var name: String
    public var email: String
    public var phone: String
    public var passwordHash: String
    public var role: UserRole
    public var isActive = true
    public var isAvailable = true
    public var lastLogin: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64

    public var authUser: AuthUser { AuthUser(id: id, role: role, name: name, email: email) }

    /// The full user JSON (`UserJSON`), never with the password hash.
    public func json(callStats: UserJSON.CallStats = .zero) -> JSONObject {
        UserJSON.render(id: id, name: name, email: email, phone: phone, role: role.wireName, isActive: isActive,
                        isAvailable: isAvailable, lastLogin: lastLogin, createdAt: createdAt,
                        updatedAt: updatedAt, callStats: callStats)
    }

    /// `{id, name, email, phone, role}`: the user object of the register response.
    public var summaryJSON: JSONObject {
        JSONObject([("id", .string(id)), ("name", .string(name)), ("email", .string(email)),
                    ("phone", .string(phone)), ("role", .string(role.wireName))])
    }
}

/// Kept out of the struct's body so the memberwise initializer is still synthesized.
extension UserRecord {
    /// From a row selected with `UserRecord.columns`.
    public init?(row: Row) {
        guard let role = UserRole(rawValue: row.string("role")) else { return nil }
        self.init(id: row.string("id"), name: row.string("name"), email: row.string("email"),
                  phone: row.string("phone"), passwordHash: row.string("password_hash"), role: role,
                  isActive: row.bool("is_active"), isAvailable: row.bool("is_available"),
                  lastLogin: row.optionalInt("last_login"), createdAt: row.int("created_at"),
                  updatedAt: row.int("updated_at"))
    }
}
