/// The field rules of a lead, applied to `queue.create_lead`, `queue.update_lead`, bulk actions and
/// every staged import row (the gateway checks first; the owner checks again). Each rule returns
/// the normalised value (trimmed; email and priority lower-cased; tags trimmed and de-duplicated)
/// or throws a 400 `Validation failed` naming the field. Lengths count characters; the byte count
/// is tried first because it bounds the character count (cheap on the import path).

import Shared

enum LeadFieldValidator {
    static let minPhoneDigits = FieldLimits.leadPhoneDigits.lowerBound
    static let maxPhoneDigits = FieldLimits.leadPhoneDigits.upperBound
    static let maxNameLength = FieldLimits.leadName
    static let maxNotesLength = FieldLimits.leadNotes
    static let maxEmailLength = FieldLimits.leadEmail
    static let maxTags = FieldLimits.leadTags
    static let maxTagLength = FieldLimits.leadTagLength
    static let allowedPriorities = LeadPriority.allCases.map(\.rawValue).joined(separator: ", ")

    /// E.164 as the gateway normalises it: `+` then 8 to 15 digits.
    static func phone(_ raw: String, field: String = "phone") throws -> String {
        var text = raw
        let valid = text.withUTF8 { u in
            (minPhoneDigits...maxPhoneDigits).contains(u.count - 1) && u[0] == UInt8(ascii: "+")
                && u[1...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard valid else {
            throw QueueErrors.validation("\"\(field)\" must be an E.164 number: + and \(minPhoneDigits) to "
                                         + "\(maxPhoneDigits) digits, got \"\(CommandBody.clip(raw))\"")
        }
        return raw
    }

    static func name(_ raw: String) throws -> String {
        try limited(clean(trimmed(raw), field: "name", multiline: false), field: "name", max: maxNameLength)
    }

    static func notes(_ raw: String) throws -> String {
        try limited(clean(trimmed(raw), field: "notes", multiline: true), field: "notes", max: maxNotesLength)
    }

    /// `text` when it holds no refused control character (`TextHygiene`), else a 400 naming `field`.
    static func clean(_ text: String, field: String, multiline: Bool) throws -> String {
        if let bad = TextHygiene.forbiddenControl(in: text, multiline: multiline) {
            throw QueueErrors.validation(TextHygiene.message(field: field, bad))
        }
        return text
    }

    /// "" (no email) or `local@domain.tld`, lower-cased, without spaces.
    static func email(_ raw: String) throws -> String {
        var text = lowercased(trimmed(raw))
        if text.isEmpty { return text }
        let valid = text.withUTF8 { u -> Bool in
            guard u.count <= maxEmailLength, let at = u.firstIndex(of: UInt8(ascii: "@")), at > 0, at <= 64,
                  u.lastIndex(of: UInt8(ascii: "@")) == at,
                  !u.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return false }
            // At least two labels after the @, none empty or over 63 bytes, the last at least 2.
            var labels = 0, length = 0
            for byte in u[(at + 1)...] {
                if byte == UInt8(ascii: ".") {
                    guard length > 0 && length <= 63 else { return false }
                    labels += 1
                    length = 0
                } else {
                    length += 1
                }
            }
            return length >= 2 && length <= 63 && labels >= 1
        }
        guard valid else { throw QueueErrors.validation("\"email\" must be a valid email, got \"\(CommandBody.clip(raw))\"") }
        return text
    }

    /// urgent, high, medium or low (case-insensitive, surrounding spaces ignored).
    static func priority(_ raw: String, field: String = "priority") throws -> LeadPriority {
        guard let priority = exactPriority(raw) ?? LeadPriority(rawValue: lowercased(trimmed(raw))) else {
            throw QueueErrors.validation("\"\(field)\" must be one of \(allowedPriorities), got \"\(CommandBody.clip(raw))\"")
        }
        return priority
    }

    /// The priority spelt exactly as its raw value (what the gateway sends), compared as bytes.
    private static func exactPriority(_ raw: String) -> LeadPriority? {
        var raw = raw
        return raw.withUTF8 { u in
            for (priority, spelling) in prioritySpellings where spelling.elementsEqual(u) { return priority }
            return nil
        }
    }

    private static let prioritySpellings = LeadPriority.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// `text.lowercased()`, without building a new string when `text` is ASCII with no capital
    /// (every email and priority the gateway sends).
    static func lowercased(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) ? text : text.lowercased()
    }

    /// An array of at most `maxTags` strings of 1 to `maxTagLength` characters (trimmed, duplicates dropped).
    static func tags(_ values: [JSON], field: String = "tags") throws -> [String] {
        var strings: [String] = []
        strings.reserveCapacity(values.count)
        for value in values {
            guard let raw = value.string else { throw QueueErrors.validation("\"\(field)\" must be an array of strings") }
            strings.append(raw)
        }
        return try tags(strings, field: field)
    }

    /// `tags(_:field:)` for values already known to be strings.
    static func tags(_ values: [String], field: String = "tags") throws -> [String] {
        var tags: [String] = []
        for raw in values {
            let tag = try clean(trimmed(raw), field: "\(field) item", multiline: false)
            if tag.utf8.count > maxTagLength { _ = try limited(tag, field: "\(field) item", max: maxTagLength) }
            guard !tag.isEmpty else { throw QueueErrors.validation("\"\(field)\" items must not be empty") }
            if !tags.contains(tag) { tags.append(tag) }
        }
        try checkTagCount(tags.count, field: field)
        return tags
    }

    static func checkTagCount(_ count: Int, field: String = "tags") throws {
        guard count <= maxTags else {
            throw QueueErrors.validation("\"\(field)\" may hold at most \(maxTags) tags (got \(count))")
        }
    }

    /// The fields of `queue.create_lead` / an import row: phone required, the rest optional.
    static func newLead(from body: CommandBody) throws -> NewLead {
        var lead = NewLead(contact: LeadContact(phone: try phone(try body.requiredString("phone"))))
        if let value = try body.optionalString("name") { lead.name = try name(value) }
        if let value = try body.optionalString("email") { lead.email = try email(value) }
        if let value = try body.optionalString("priority"), !value.isEmpty { lead.priority = try priority(value) }
        if let value = try body.optionalString("notes") { lead.notes = try notes(value) }
        if body.has("tags") { lead.tags = try tags(try body.requiredArray("tags")) }
        if let value = try body.optionalString("timezone"), !value.isEmpty { lead.timezone = try timezone(value) }
        return lead
    }

    /// An IANA zone name the system knows (issue 12); 400 otherwise.
    static func timezone(_ raw: String, field: String = "timezone") throws -> String {
        guard let name = TimeZoneName.validated(raw) else {
            throw QueueErrors.validation(TimeZoneName.invalidMessage(raw, field: field))
        }
        return name
    }

    // MARK: Helpers

    static func trimmed(_ text: String) -> String { UnicodeTrim.whitespace(text) }

    private static func limited(_ text: String, field: String, max: Int) throws -> String {
        if text.utf8.count <= max || text.count <= max { return text }
        throw QueueErrors.validation("\"\(field)\" must be at most \(max) characters (got \(text.count))")
    }
}
