/// The field rules of a lead, applied to `queue.create_lead`, `queue.update_lead`, bulk actions and
/// every staged import row (the gateway checks first; the owner checks again). Each rule returns
/// the normalised value (trimmed; email and priority lower-cased; tags trimmed and de-duplicated)
/// or throws a 400 `Validation failed` naming the field. This is the owner's last check of the
/// lead rules in `FieldRules` (the gateway checked the same rules for its 400), with the same
/// limits, unit (UTF-16 code units) and messages.

import Shared

enum LeadFieldValidator {
    static var maxTags: Int { FieldRules.leadTags.limit.upperBound }
    static let allowedPriorities = LeadPriority.allCases.map(\.rawValue).joined(separator: ", ")

    /// E.164 as the gateway normalises it (`FieldRules.leadPhone`).
    static func phone(_ raw: String, field: String = "phone") throws -> String {
        guard FieldRules.leadPhone.isE164(raw) else { throw QueueErrors.validation(FieldRules.leadPhone.message(naming: field)) }
        return raw
    }

    static func name(_ raw: String) throws -> String {
        try limited(clean(trimmed(raw), field: "name", multiline: false), FieldRules.leadName)
    }

    static func notes(_ raw: String) throws -> String {
        try limited(clean(trimmed(raw), field: "notes", multiline: true), FieldRules.leadNotes)
    }

    /// `text` when it holds no refused control character (`TextHygiene`), else a 400 naming `field`.
    static func clean(_ text: String, field: String, multiline: Bool) throws -> String {
        if let bad = TextHygiene.forbiddenControl(in: text, multiline: multiline) {
            throw QueueErrors.validation(TextHygiene.message(field: field, bad))
        }
        return text
    }

    /// "" (no email) or the address under `FieldRules.leadEmail` (`EmailAddress`), lower-cased.
    static func email(_ raw: String) throws -> String {
        let text = trimmed(raw)
        if text.isEmpty { return text }
        guard let email = FieldRules.leadEmail.normalizedEmail(text) else {
            throw QueueErrors.validation(FieldRules.leadEmail.message)
        }
        return email
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
    /// (every priority the gateway sends).
    static func lowercased(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) ? text : text.lowercased()
    }

    /// An array of at most `FieldRules.leadTags` strings under `FieldRules.leadTag`, not empty
    /// (trimmed, duplicates dropped).
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
        for (index, raw) in values.enumerated() {
            let tag = try clean(trimmed(raw), field: "\(field) item", multiline: false)
            if let tooLong = FieldRules.leadTag.violation(length: tag, naming: "\(field)[\(index)]") {
                throw QueueErrors.validation(tooLong)
            }
            guard !tag.isEmpty else { throw QueueErrors.validation("\"\(field)\" items must not be empty") }
            if !tags.contains(tag) { tags.append(tag) }
        }
        try checkTagCount(tags.count, field: field)
        return tags
    }

    static func checkTagCount(_ count: Int, field: String = "tags") throws {
        if FieldRules.leadTags.violation(count: count) != nil {
            throw QueueErrors.validation(FieldRules.leadTags.message(naming: field))
        }
    }

    /// The fields of `queue.create_lead` / an import row: phone required, the rest optional.
    static func newLead(from body: LeadFields) throws -> NewLead {
        guard let phoneText = body.phone else { throw QueueErrors.validation("\"phone\" is required") }
        var lead = NewLead(contact: LeadContact(phone: try phone(phoneText)))
        if let value = body.name { lead.name = try name(value) }
        if let value = body.email { lead.email = try email(value) }
        if let value = body.priority, !value.isEmpty { lead.priority = try priority(value) }
        if let value = body.notes { lead.notes = try notes(value) }
        if let value = body.tags { lead.tags = try tags(value) }
        if let value = body.timezone, !value.isEmpty { lead.timezone = try timezone(value) }
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

    private static func limited(_ text: String, _ rule: FieldRule) throws -> String {
        if let tooLong = rule.violation(length: text) { throw QueueErrors.validation(tooLong) }
        return text
    }
}
