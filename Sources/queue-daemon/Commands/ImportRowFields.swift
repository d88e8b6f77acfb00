/// The compact `queue.import_chunk` row the gateway sends: one JSON array
/// `[line, phone, name, email, priority, notes, tags]` per row instead of an object, so neither
/// side spends time on keys (docs/ipc/queue.md). `name`, `email` and `notes` are `""` when absent,
/// `priority` `""` for the default (`medium`), `tags` an array of strings (may be empty). Every
/// field goes through the same `LeadFieldValidator` rules as the object form; only the lookups
/// by key are skipped.

import Shared

enum ImportRowFields {
    /// Elements of a compact row.
    static let count = 7

    /// A compact row as a validated `StagedLead`; 400 naming the row (and the line when known).
    static func stagedRow(_ fields: [JSON], index: Int) throws -> StagedLead {
        guard fields.count == count else {
            throw QueueErrors.validation("rows[\(index)] must have \(count) elements "
                                        + "[line, phone, name, email, priority, notes, tags] (got \(fields.count))")
        }
        guard let line = fields[0].int, line >= 1, line <= Int64(Int32.max) else {
            throw QueueErrors.validation("rows[\(index)]: \"line\" must be a positive integer")
        }
        do {
            return StagedLead(line: Int(line), lead: try newLead(fields))
        } catch let error as IPCError {
            throw QueueErrors.validation("line \(line): \(error.message)")
        }
    }

    /// The lead of a compact row whose length was checked.
    private static func newLead(_ fields: [JSON]) throws -> NewLead {
        var lead = NewLead(phone: try LeadFieldValidator.phone(try text(fields[1], "phone")))
        let name = try text(fields[2], "name")
        if !name.isEmpty { lead.name = try LeadFieldValidator.name(name) }
        let email = try text(fields[3], "email")
        if !email.isEmpty { lead.email = try LeadFieldValidator.email(email) }
        let priority = try text(fields[4], "priority")
        if !priority.isEmpty { lead.priority = try LeadFieldValidator.priority(priority) }
        let notes = try text(fields[5], "notes")
        if !notes.isEmpty { lead.notes = try LeadFieldValidator.notes(notes) }
        guard let tags = fields[6].array else { throw QueueErrors.validation("\"tags\" must be an array of strings") }
        if !tags.isEmpty { lead.tags = try LeadFieldValidator.tags(tags) }
        return lead
    }

    private static func text(_ value: JSON, _ field: String) throws -> String {
        guard let text = value.string else { throw QueueErrors.validation("\"\(field)\" must be a string") }
        return text
    }
}
