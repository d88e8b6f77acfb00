/// Field readers for the queue's command bodies, used by their typed decoders
/// (`CreateLeadBody(body:)`, …): a missing required key or a value of the wrong type is a 400
/// `Validation failed` naming the key in quotes (`"leadId" is required`; the dialer's bodies use
/// `RequestFields`, whose wording is unquoted). DESIGN §3: missing required keys rejected,
/// unknown keys ignored. Null counts as absent for optional keys.
public struct CommandBody {
    /// Longest string accepted in an id-like field before it is even checked.
    public static let maxIdLength = 64

    public let object: JSONObject

    public init(_ object: JSONObject) {
        self.object = object
    }

    /// The value, nil when absent or null.
    public func value(_ key: String) -> JSON? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    public func has(_ key: String) -> Bool { value(key) != nil }

    public func requiredString(_ key: String) throws -> String {
        guard let value = value(key) else { throw IPCError.validationFailed("\"\(key)\" is required") }
        guard let text = value.string else { throw IPCError.validationFailed("\"\(key)\" must be a string") }
        return text
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value.string else { throw IPCError.validationFailed("\"\(key)\" must be a string") }
        return text
    }

    /// A 24-hex ObjectID.
    public func requiredID(_ key: String) throws -> String {
        let text = try requiredString(key)
        guard ObjectID.isValid(text) else {
            throw IPCError.validationFailed("\"\(key)\" must be a 24-character hex id, got \"\(Self.clip(text))\"")
        }
        return text
    }

    /// The user on whose behalf the gateway sends the command.
    public func actorId() throws -> String { try requiredID("actorId") }

    /// `actorRole`: "admin" or "operator" ("salesperson" accepted). Absent: `fallback`, or a 400
    /// when there is none. Callers fall back to the least privileged role.
    public func actorRole(fallback: UserRole? = nil) throws -> UserRole {
        guard let text = try optionalString("actorRole") else {
            if let fallback { return fallback }
            throw IPCError.validationFailed("\"actorRole\" is required")
        }
        guard let role = UserRole(input: text) else {
            throw IPCError.validationFailed("\"actorRole\" must be admin or operator, got \"\(Self.clip(text))\"")
        }
        return role
    }

    public func requiredArray(_ key: String) throws -> [JSON] {
        guard let value = value(key) else { throw IPCError.validationFailed("\"\(key)\" is required") }
        guard let array = value.array else { throw IPCError.validationFailed("\"\(key)\" must be an array") }
        return array
    }

    /// A 24-hex ObjectID, nil when absent or null.
    public func optionalID(_ key: String) throws -> String? {
        has(key) ? try requiredID(key) : nil
    }

    /// An array of strings, nil when absent or null.
    public func optionalStringArray(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        return try requiredArray(key).map {
            guard let text = $0.string else { throw IPCError.validationFailed("\"\(key)\" must be an array of strings") }
            return text
        }
    }

    /// An integer (a whole number written as a decimal counts), nil when absent or null.
    public func optionalInt(_ key: String) throws -> Int64? {
        guard let value = value(key) else { return nil }
        guard let number = value.int else { throw IPCError.validationFailed("\"\(key)\" must be an integer") }
        return number
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let flag = value.bool else { throw IPCError.validationFailed("\"\(key)\" must be true or false") }
        return flag
    }

    public func requiredObject(_ key: String) throws -> JSONObject {
        guard let value = value(key) else { throw IPCError.validationFailed("\"\(key)\" is required") }
        guard let object = value.object else { throw IPCError.validationFailed("\"\(key)\" must be an object") }
        return object
    }

    public func optionalObject(_ key: String) throws -> JSONObject? {
        has(key) ? try requiredObject(key) : nil
    }

    /// A string cut to a length that is safe to echo in an error message.
    public static func clip(_ text: String, to limit: Int = 40) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
