/// The JSON shape of a lead, shared by the queue-daemon (replies and events) and the gateway (GET
/// routes read SQL and render with this). Field names follow the original API: `_id` and `id`,
/// camelCase columns, `assignedTo` as an id or null, `tags` as an array, timestamps as ISO 8601
/// UTC with milliseconds (`Timestamp.iso8601(millis:)`) or null when the column is NULL.
public enum LeadJSON {
    /// The `leads` columns `render(row:)` reads, as a select list (`SELECT \(LeadJSON.columns) FROM leads`).
    public static let columns = "id, phone, name, email, status, priority, call_attempts, last_call_attempt, "
        + "next_call_time, assigned_to, claimed_at, notes, tags, source, is_active, created_at, updated_at, timezone, timezone_source, do_not_call, hold_reason, disposition, callback_operator, callback_at"

    /// Renders one `leads` row (selected with at least `columns`, by name).
    public static func render(row: Row) -> JSONObject {
        let id = JSON.string(row.string("id"))
        return JSONObject([
            ("_id", id),
            ("id", id),
            ("phone", .string(row.string("phone"))),
            ("name", .string(row.string("name"))),
            ("email", .string(row.string("email"))),
            ("status", .string(row.string("status"))),
            ("priority", .string(row.string("priority"))),
            ("callAttempts", .int(row.int("call_attempts"))),
            ("lastCallAttempt", time(row.optionalInt("last_call_attempt"))),
            ("nextCallTime", time(row.optionalInt("next_call_time"))),
            ("assignedTo", JSON.from(row.optionalString("assigned_to"))),
            ("claimedAt", time(row.optionalInt("claimed_at"))),
            ("notes", .string(row.string("notes"))),
            ("tags", .array(tags(fromColumn: row.string("tags")).map(JSON.string))),
            ("source", .string(row.string("source"))),
            ("isActive", .bool(row.bool("is_active"))),
            ("createdAt", time(row.optionalInt("created_at"))),
            ("updatedAt", time(row.optionalInt("updated_at"))),
            ("timezone", JSON.from(row.optionalString("timezone"))),
            ("timezoneSource", JSON.from(row.optionalString("timezone_source").flatMap { $0 == "unknown" ? nil : $0 })),
            ("doNotCall", .bool(row.bool("do_not_call"))),
            ("callableReason", JSON.from(callableReason(row))),
            ("disposition", JSON.from(row.optionalString("disposition"))),
            ("callbackAt", time(row.optionalInt("callback_at"))),
            ("callbackMine", .bool(row.optionalString("callback_operator") != nil)),
            ("callbackOperator", JSON.from(row.optionalString("callback_operator"))),
        ])
    }

    /// Why a pending lead is not dialed automatically, from its columns (issue 12); nil when nothing holds it.
    public static func callableReason(_ row: Row) -> String? {
        guard row.string("status") == "pending" else { return nil }
        if row.bool("do_not_call") { return "do_not_call" }
        if row.optionalString("timezone_source") == "unknown" { return "unknown_timezone" }
        return row.optionalString("hold_reason")
    }

    /// ISO 8601 text for a millisecond timestamp, null when absent.
    public static func time(_ millis: Int64?) -> JSON {
        millis.map { .string(Timestamp.iso8601(millis: $0)) } ?? .null
    }

    /// The `tags` column (a JSON array text) as strings; anything unreadable yields [] (never throws).
    public static func tags(fromColumn text: String) -> [String] {
        if text.isEmpty || text == "[]" { return [] }
        guard let parsed = try? JSON.parse(text), let array = parsed.array else { return [] }
        return array.compactMap(\.string)
    }

    /// The `tags` column text for `tags` (a JSON array of strings).
    public static func tagsColumn(_ tags: [String]) -> String {
        if tags.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(tags.reduce(2) { $0 + $1.utf8.count + 3 })
        out.append(UInt8(ascii: "["))
        for (index, tag) in tags.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONSerializer.writeString(tag, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
