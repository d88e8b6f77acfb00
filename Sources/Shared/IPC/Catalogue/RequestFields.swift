/// Field readers for IPC bodies that throw a 400 `validation_failed` naming the field (`callId is
/// required`); the dialer's wording, used by the typed bodies of its commands (`StartCallBody`).
public enum RequestFields {
    /// Digits a phone field may have (after an optional "+").
    public static let minPhoneDigits = 3
    public static let maxPhoneDigits = 15

    public static func string(_ body: JSONObject, _ key: String) throws -> String {
        guard let value = try optionalString(body, key) else {
            throw IPCError.validationFailed("\(key) is required")
        }
        return value
    }

    /// nil when the key is absent or null.
    public static func optionalString(_ body: JSONObject, _ key: String) throws -> String? {
        switch body[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw IPCError.validationFailed("\(key) must be a string")
        }
    }

    public static func optionalInt(_ body: JSONObject, _ key: String) throws -> Int? {
        switch body[key] {
        case nil, .null?: return nil
        case .int(let value)?: return Int(clamping: value)
        case .double(let value)? where value.rounded() == value && value.magnitude < 1e15: return Int(value)
        default: throw IPCError.validationFailed("\(key) must be an integer")
        }
    }

    public static func objectID(_ body: JSONObject, _ key: String) throws -> String {
        guard let id = try optionalObjectID(body, key) else { throw IPCError.validationFailed("\(key) is required") }
        return id
    }

    public static func optionalObjectID(_ body: JSONObject, _ key: String) throws -> String? {
        guard let text = try optionalString(body, key) else { return nil }
        guard ObjectID.isValid(text) else {
            throw IPCError.validationFailed("\(key) must be a 24-character lowercase hex id")
        }
        return text
    }

    public static func phone(_ body: JSONObject, _ key: String) throws -> String {
        guard let phone = try optionalPhone(body, key) else { throw IPCError.validationFailed("\(key) is required") }
        return phone
    }

    public static func optionalPhone(_ body: JSONObject, _ key: String) throws -> String? {
        guard let text = try optionalString(body, key) else { return nil }
        guard isPhone(text) else {
            throw IPCError.validationFailed("\(key) must be a phone number: an optional + and "
                + "\(minPhoneDigits) to \(maxPhoneDigits) digits")
        }
        return text
    }

    /// An optional leading "+" followed by `minPhoneDigits...maxPhoneDigits` ASCII digits.
    public static func isPhone(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        return (minPhoneDigits...maxPhoneDigits).contains(digits.count)
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
