/// The JSON shape of a user for every route that shows one (DESIGN §6): `_id` and `id`, name,
/// email, phone, role (`admin` / `operator`), isActive, isAvailable, lastLogin, callStats,
/// createdAt, updatedAt, timestamps as ISO 8601 UTC. Never the password hash: the renderer
/// only reads the columns it names.
public enum UserJSON {
    /// Call figures of one operator, computed from the `calls` table.
    public struct CallStats: Equatable, Sendable {
        public var totalCalls: Int64
        /// Calls that ended `completed`.
        public var successfulCalls: Int64
        /// Sum of call durations in seconds.
        public var totalDuration: Int64

        public init(totalCalls: Int64 = 0, successfulCalls: Int64 = 0, totalDuration: Int64 = 0) {
            self.totalCalls = totalCalls
            self.successfulCalls = successfulCalls
            self.totalDuration = totalDuration
        }

        public static let zero = CallStats()

        public var json: JSON {
            .object(["totalCalls": .int(totalCalls), "successfulCalls": .int(successfulCalls),
                     "totalDuration": .int(totalDuration)])
        }
    }

    /// Renders a `users` row (`SELECT id, name, email, phone, role, is_active, is_available,
    /// last_login, created_at, updated_at ...`; extra columns are ignored).
    public static func render(row: Row, callStats: CallStats = .zero) -> JSONObject {
        render(id: row.string("id"), name: row.string("name"), email: row.string("email"),
               phone: row.string("phone"), role: row.string("role"), isActive: row.bool("is_active"),
               isAvailable: row.bool("is_available"), lastLogin: row.optionalInt("last_login"),
               createdAt: row.int("created_at"), updatedAt: row.int("updated_at"), callStats: callStats)
    }

    public static func render(id: String, name: String, email: String, phone: String, role: String,
                              isActive: Bool, isAvailable: Bool, lastLogin: Int64?, createdAt: Int64,
                              updatedAt: Int64, callStats: CallStats = .zero) -> JSONObject {
        JSONObject([
            ("_id", .string(id)), ("id", .string(id)), ("name", .string(name)), ("email", .string(email)),
            ("phone", .string(phone)), ("role", .string(role)), ("isActive", .bool(isActive)),
            ("isAvailable", .bool(isAvailable)), ("lastLogin", timestamp(lastLogin)),
            ("callStats", callStats.json), ("createdAt", timestamp(createdAt)), ("updatedAt", timestamp(updatedAt)),
        ])
    }

    /// A short reference to a user inside another entity: `{_id, id, name, email}` (plus phone
    /// when given).
    public static func reference(id: String, name: String, email: String, phone: String? = nil) -> JSONObject {
        var object = JSONObject([("_id", .string(id)), ("id", .string(id)), ("name", .string(name)),
                                 ("email", .string(email))])
        if let phone { object["phone"] = .string(phone) }
        return object
    }

    static func timestamp(_ millis: Int64?) -> JSON {
        millis.map { .string(Timestamp.iso8601(millis: $0)) } ?? .null
    }
}
