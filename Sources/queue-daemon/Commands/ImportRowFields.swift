/// The compact `queue.import_chunk` row the gateway sends: one JSON array
/// `[line, phone, name, email, priority, notes, tags]` per row instead of an object, so neither
/// side spends time on keys (docs/ipc/queue.md). `name`, `email` and `notes` are `""` when absent,
/// `priority` `""` for the default (`medium`), `tags` an array of strings (may be empty). Every
/// field goes through the same `LeadFieldValidator` rules as the object form; only the lookups
/// by key are skipped. A row arrives either as a `JSON` array or already read into `Fields` by
/// `ImportChunkDecoder`; both are validated by `stagedRow(_: Fields, index:)`.

import Shared

enum ImportRowFields {
    /// Elements of a compact row.
    static let count = 7

    /// A compact row's values, read but not yet validated.
    struct Fields: Equatable {
        var line: Int64
        var phone: String
        var name: String
        var email: String
        var priority: String
        var notes: String
        var tags: [String]
        /// Explicit IANA zone, "" when absent (the optional 8th element).
        var timezone: String = ""
    }

    /// A compact row as a validated `StagedLead`; 400 naming the row (and the line when known).
    static func stagedRow(_ fields: [JSON], index: Int) throws -> StagedLead {
        guard fields.count == count || fields.count == count + 1 else {
            throw QueueErrors.validation("rows[\(index)] must have \(count) elements "
                                        + "[line, phone, name, email, priority, notes, tags] (got \(fields.count))")
        }
        guard let line = fields[0].int, line >= 1, line <= Int64(Int32.max) else {
            throw QueueErrors.validation("rows[\(index)]: \"line\" must be a positive integer")
        }
        let read: Fields
        do {
            guard let tagValues = fields[6].array else { throw QueueErrors.validation("\"tags\" must be an array of strings") }
            var tags: [String] = []
            tags.reserveCapacity(tagValues.count)
            for value in tagValues {
                guard let tag = value.string else { throw QueueErrors.validation("\"tags\" must be an array of strings") }
                tags.append(tag)
            }
            read = Fields(line: line, phone: try text(fields[1], "phone"), name: try text(fields[2], "name"),
                          email: try text(fields[3], "email"), priority: try text(fields[4], "priority"),
                          notes: try text(fields[5], "notes"), tags: tags,
                          timezone: fields.count > count ? try text(fields[7], "timezone") : "")
        } catch let error as IPCError {
            throw QueueErrors.validation("line \(line): \(error.message)")
        }
        return try stagedRow(read, index: index)
    }

    /// Validated `fields` as a `StagedLead`; 400 naming the row (and the line when known).
    static func stagedRow(_ fields: Fields, index: Int) throws -> StagedLead {
        guard fields.line >= 1, fields.line <= Int64(Int32.max) else {
            throw QueueErrors.validation("rows[\(index)]: \"line\" must be a positive integer")
        }
        do {
            return StagedLead(line: Int(fields.line), lead: try newLead(fields))
        } catch let error as IPCError {
            throw QueueErrors.validation("line \(fields.line): \(error.message)")
        }
    }

    private static func newLead(_ fields: Fields) throws -> NewLead {
        var lead = NewLead(contact: LeadContact(phone: try LeadFieldValidator.phone(fields.phone)))
        if !fields.name.isEmpty { lead.name = try LeadFieldValidator.name(fields.name) }
        if !fields.email.isEmpty { lead.email = try LeadFieldValidator.email(fields.email) }
        if !fields.priority.isEmpty { lead.priority = try LeadFieldValidator.priority(fields.priority) }
        if !fields.notes.isEmpty { lead.notes = try LeadFieldValidator.notes(fields.notes) }
        if !fields.tags.isEmpty { lead.tags = try LeadFieldValidator.tags(fields.tags) }
        if !fields.timezone.isEmpty { lead.timezone = try LeadFieldValidator.timezone(fields.timezone) }
        return lead
    }

    private static func text(_ value: JSON, _ field: String) throws -> String {
        guard let text = value.string else { throw QueueErrors.validation("\"\(field)\" must be a string") }
        return text
    }
}
