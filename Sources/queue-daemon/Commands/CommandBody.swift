/// Typed access to a command body with the queue's validation errors: a missing required key or
/// a value of the wrong type is a 400 `Validation failed` naming the key (DESIGN §3: missing
/// required keys rejected, unknown keys ignored). Null counts as absent for optional keys.

import Shared

struct CommandBody {
    /// Longest string accepted in an id-like field before it is even checked.
    static let maxIdLength = 64

    let object: JSONObject

    init(_ object: JSONObject) {
        self.object = object
    }

    /// The value, nil when absent or null.
    func value(_ key: String) -> JSON? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func requiredString(_ key: String) throws -> String {
        guard let value = value(key) else { throw QueueErrors.validation("\"\(key)\" is required") }
        guard let text = value.string else { throw QueueErrors.validation("\"\(key)\" must be a string") }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.string else { throw QueueErrors.validation("\"\(key)\" must be a string") }
        return text
    }

    /// A 24-hex ObjectID.
    func requiredID(_ key: String) throws -> String {
        let text = try requiredString(key)
        guard ObjectID.isValid(text) else {
            throw QueueErrors.validation("\"\(key)\" must be a 24-character hex id, got \"\(Self.clip(text))\"")
        }
        return text
    }

    /// The user on whose behalf the gateway sends the command.
    func actorId() throws -> String { try requiredID("actorId") }

    /// `actorRole`: "admin" or "operator" ("salesperson" accepted). Absent: `fallback`, or a 400
    /// when there is none. Callers fall back to the least privileged role.
    func actorRole(fallback: UserRole? = nil) throws -> UserRole {
        guard let text = try optionalString("actorRole") else {
            if let fallback { return fallback }
            throw QueueErrors.validation("\"actorRole\" is required")
        }
        guard let role = UserRole(input: text) else {
            throw QueueErrors.validation("\"actorRole\" must be admin or operator, got \"\(Self.clip(text))\"")
        }
        return role
    }

    func requiredArray(_ key: String) throws -> [JSON] {
        guard let value = value(key) else { throw QueueErrors.validation("\"\(key)\" is required") }
        guard let array = value.array else { throw QueueErrors.validation("\"\(key)\" must be an array") }
        return array
    }

    /// A string cut to a length that is safe to echo in an error message.
    static func clip(_ text: String, to limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
