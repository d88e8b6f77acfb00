import Shared

/// Disposition counts (issue 12) for reports and dashboards, from the calls' recorded
/// dispositions (a partial index holds only calls with one): in total, per operator and per UTC
/// day, each with `conversions` = `sale` + `interested`. `range` bounds the calls' `created_at`;
/// `operatorId` limits to one operator. A database without the column (dialer not migrated yet)
/// counts nothing.
struct DispositionCounts {
    let db: Database
    let range: CallDateRange
    var operatorId: String?

    /// `{total: {name: n}, conversions, byOperator: [{operatorId, counts, conversions}],
    /// byDay: [{_id: {year, month, day}, counts, conversions}]}`.
    func reportJSON() throws -> JSON {
        var total: [String: Int64] = [:]
        var byOperator: [String: [String: Int64]] = [:]
        var byDay: [Int64: [String: Int64]] = [:]
        try rows { operatorId, day, disposition, count in
            total[disposition, default: 0] += count
            byOperator[operatorId ?? "", default: [:]][disposition, default: 0] += count
            byDay[day, default: [:]][disposition, default: 0] += count
        }
        let operators: [JSON] = byOperator.keys.sorted().map { id in
            .object(JSONObject([("operatorId", id.isEmpty ? .null : .string(id)), ("counts", Self.json(byOperator[id]!)),
                                ("conversions", .int(Self.conversions(byOperator[id]!)))]))
        }
        let days: [JSON] = byDay.keys.sorted().map { day in
            .object(JSONObject([("_id", CallDateRange.dayKey(day)), ("counts", Self.json(byDay[day]!)),
                                ("conversions", .int(Self.conversions(byDay[day]!)))]))
        }
        return .object(JSONObject([("total", Self.json(total)), ("conversions", .int(Self.conversions(total))),
                                   ("byOperator", .array(operators)), ("byDay", .array(days))]))
    }

    /// `{counts: {name: n}, conversions}` (an operator's own figures, a dashboard).
    func summaryJSON() throws -> JSON {
        var total: [String: Int64] = [:]
        try rows { _, _, disposition, count in total[disposition, default: 0] += count }
        return .object(JSONObject([("counts", Self.json(total)), ("conversions", .int(Self.conversions(total)))]))
    }

    private func rows(_ each: (String?, Int64, String, Int64) -> Void) throws {
        if let days = range.wholeDays {
            return try countedRows(days, each)
        }
        guard try db.queryOne("SELECT 1 FROM pragma_table_info('calls') WHERE name = 'disposition'") != nil else { return }
        var conditions = ["disposition IS NOT NULL"]
        var params: [SQLValue] = []
        range.appendConditions(column: "created_at", to: &conditions, params: &params)
        if let operatorId {
            conditions.append("operator_id = ?")
            params.append(.text(operatorId))
        }
        try db.forEachRow("""
            SELECT operator_id, created_at / \(Timestamp.millisPerDay) AS day, disposition, count(*) AS n FROM calls
            WHERE \(conditions.joined(separator: " AND ")) GROUP BY operator_id, day, disposition
            """, params) { each($0.optionalString(at: 0), $0.int(at: 1), $0.string(at: 2), $0.int(at: 3)) }
    }

    /// A range of whole UTC days (the dashboards' "today") reads the disposition rows of `call_counts`
    /// (issue 16) instead of the calls.
    private func countedRows(_ days: (first: Int64?, last: Int64?), _ each: (String?, Int64, String, Int64) -> Void) throws {
        var conditions = ["kind = 'disposition'", "calls <> 0", "day < \(CallCounts.allTime)"]
        var params: [SQLValue] = []
        if let first = days.first {
            conditions.append("day >= ?")
            params.append(.int(first))
        }
        if let last = days.last {
            conditions.append("day <= ?")
            params.append(.int(last))
        }
        if let operatorId {
            conditions.append("operator_id = ?")
            params.append(.text(operatorId))
        }
        try CallTables.orEmpty(()) {
            try db.forEachRow("""
                SELECT operator_id, day, disposition, calls FROM call_counts
                WHERE \(conditions.joined(separator: " AND "))
                """, params) { row in
                let id = row.string(at: 0)
                each(id.isEmpty ? nil : id, row.int(at: 1), row.string(at: 2), row.int(at: 3))
            }
        }
    }

    static func conversions(_ counts: [String: Int64]) -> Int64 {
        Dispositions.conversions.reduce(0) { $0 + (counts[$1] ?? 0) }
    }

    static func json(_ counts: [String: Int64]) -> JSON {
        .object(JSONObject(counts.keys.sorted().map { ($0, .int(counts[$0]!)) }))
    }
}
