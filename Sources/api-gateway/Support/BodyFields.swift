import Shared

/// Typed, validating access to a JSON request body. Every failure throws
/// `HTTPError.validation` with a message naming the field the way the earlier version's Joi
/// messages did (`"email" must be a valid email address`), so the first bad field is reported.
/// Unknown keys are ignored unless `rejectUnknown(allowed:)` is called.
public struct BodyFields {
    public let object: JSONObject

    public init(_ object: JSONObject) { self.object = object }

    /// Whether the key is present (even as `null`).
    public func has(_ name: String) -> Bool { object[name] != nil }

    /// `"<key>" is not allowed` for the first key outside `allowed`.
    public func rejectUnknown(allowed: Set<String>) throws {
        for key in object.keys where !allowed.contains(key) {
            throw HTTPError.validation("\"\(key)\" is not allowed")
        }
    }

    /// A string, trimmed of spaces and tabs; nil when absent and not `required`.
    /// `length` counts UTF-16 code units after trimming (the unit of every `FieldRule`). Control characters are refused
    /// (`TextHygiene`); `multiline` fields (notes) may hold tab, CR and LF.
    public func string(_ name: String, required: Bool = false, length: ClosedRange<Int>? = nil,
                       trim: Bool = true, multiline: Bool = false) throws -> String? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .string(let raw) = value else { throw HTTPError.validation("\"\(name)\" must be a string") }
        if let bad = TextHygiene.forbiddenControl(in: raw, multiline: multiline) {
            throw HTTPError.validation(TextHygiene.message(field: name, bad))
        }
        let text = trim ? String(Substring(raw).trimmingASCIISpaces()) : raw
        if required && text.isEmpty { throw HTTPError.validation("\"\(name)\" is not allowed to be empty") }
        if let length, !length.contains(text.utf16.count) {
            throw HTTPError.validation("\"\(name)\" must be \(length.lowerBound) to \(length.upperBound) characters long")
        }
        return text
    }

    /// A string field under its `FieldRule` (`FieldRules`): the rule's length and 400 message.
    public func string(_ rule: FieldRule, required: Bool = false, trim: Bool = true,
                       multiline: Bool = false) throws -> String? {
        guard let text = try string(rule.field, required: required, trim: trim, multiline: multiline) else { return nil }
        if let message = rule.violation(length: text) { throw HTTPError.validation(message) }
        return text
    }

    /// An integer field under its `FieldRule` (`.integer`): the rule's range and 400 message.
    public func int(_ rule: FieldRule, required: Bool = false) throws -> Int64? {
        guard let value = try int(rule.field, required: required) else { return nil }
        if let message = rule.violation(value: value) { throw HTTPError.validation(message) }
        return value
    }

    /// A lower-cased, trimmed email address of a valid shape (`EmailAddress`, the one email rule).
    public func email(_ name: String, required: Bool = false) throws -> String? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .string(let raw) = value, let email = EmailAddress.normalize(raw) else {
            throw HTTPError.validation("\"\(name)\" must be a valid email address")
        }
        return email
    }

    /// A phone number normalised to E.164 (any country; national numbers get `countryCode`).
    public func phone(_ name: String, required: Bool = false, countryCode: String) throws -> String? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .string(let raw) = value,
              let phone = PhoneNumber.normalize(raw, defaultCountryCode: countryCode) else {
            throw HTTPError.validation("\"\(name)\" must be a valid phone number")
        }
        return phone
    }

    /// A JSON boolean, strictly (no "true" strings, no 0/1).
    public func bool(_ name: String, required: Bool = false) throws -> Bool? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .bool(let b) = value else { throw HTTPError.validation("\"\(name)\" must be a boolean") }
        return b
    }

    /// An integer (a JSON number without a fraction) within `range`.
    public func int(_ name: String, required: Bool = false, range: ClosedRange<Int64>? = nil) throws -> Int64? {
        guard let value = try present(name, required: required) else { return nil }
        let number: Int64?
        switch value {
        case .int(let i): number = i
        case .double(let d): number = d.rounded() == d && abs(d) < 9e15 ? Int64(d) : nil
        default: number = nil
        }
        guard let n = number else { throw HTTPError.validation("\"\(name)\" must be an integer") }
        if let range, !range.contains(n) {
            throw HTTPError.validation("\"\(name)\" must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return n
    }

    /// One of a fixed vocabulary: `parse` maps the text, `allowed` names the accepted spellings
    /// for the message (`"role" must be one of [admin, operator, salesperson]`).
    public func oneOf<T>(_ name: String, required: Bool = false, allowed: [String],
                         parse: (String) -> T?) throws -> T? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .string(let text) = value, let parsed = parse(text) else {
            throw HTTPError.validation("\"\(name)\" must be one of [\(allowed.joined(separator: ", "))]")
        }
        return parsed
    }

    /// A 24-hex id (`400 Invalid id` otherwise, never a 500 or 404).
    public func id(_ name: String, required: Bool = false) throws -> String? {
        guard let value = try present(name, required: required) else { return nil }
        guard case .string(let text) = value, ObjectID.isValid(text) else { throw HTTPError.invalidID(name) }
        return text
    }

    /// An array of strings, each trimmed of Unicode whitespace (as the queue-daemon trims tags),
    /// with `count` items at most (its message) and `item` applied to each (`"tags[3]" …`).
    public func stringArray(count: FieldRule, item itemRule: FieldRule, required: Bool = false) throws -> [String]? {
        let name = count.field
        guard let value = try present(name, required: required) else { return nil }
        guard case .array(let items) = value else { throw HTTPError.validation("\"\(name)\" must be an array") }
        if let message = count.violation(count: items.count) { throw HTTPError.validation(message) }
        return try items.enumerated().map { index, item in
            guard case .string(let s) = item else { throw HTTPError.validation("\"\(name)[\(index)]\" must be a string") }
            if let bad = TextHygiene.forbiddenControl(in: s, multiline: false) {
                throw HTTPError.validation(TextHygiene.message(field: "\(name)[\(index)]", bad))
            }
            let text = UnicodeTrim.whitespace(s)
            if let message = itemRule.violation(length: text, naming: "\(name)[\(index)]") { throw HTTPError.validation(message) }
            return text
        }
    }

    /// The value when present and not null; `"<name>" is required` when it must be.
    private func present(_ name: String, required: Bool) throws -> JSON? {
        guard let value = object[name], !value.isNull else {
            if required { throw HTTPError.validation("\"\(name)\" is required") }
            return nil
        }
        return value
    }
}
