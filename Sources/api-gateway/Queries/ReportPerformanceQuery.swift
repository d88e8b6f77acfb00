import Shared

/// `GET /api/admin/reports/performance?startDate&endDate` (reference §6.3, route #31) →
/// `{"performance": {salespersonStats, leadConversion, dailyCalls}}`:
/// - `salespersonStats`: calls in the range grouped by operator (calls without an operator, or
///   whose user row is gone, drop out as before), each `{_id, id, name, email, totalCalls,
///   answeredCalls, completedCalls, totalDuration, averageDuration, successRate}` with
///   `successRate` computed (completed / total, 0 without calls — the API document's field the
///   earlier version never filled), busiest first;
/// - `leadConversion`: active leads per status, every status in lifecycle order (as before it
///   ignores the date range: it is the current state of the lead base);
/// - `dailyCalls`: calls in the range per UTC day with calls, oldest first,
///   `{_id: {year, month, day}, totalCalls, answeredCalls}`.
/// The range is `CallDateRange` (a date-only `endDate` covers its whole day). Without a range the
/// per-operator figures come from the cached snapshot.
public struct ReportPerformanceQuery {
    public let db: Database
    public let snapshot: DashboardSnapshot
    public let range: CallDateRange

    public func json() throws -> JSON {
        let daily = try Self.daily(db, CallFilter(range: range)).map { entry -> JSON in
            .object(JSONObject([("_id", CallDateRange.dayKey(entry.day)), ("totalCalls", .int(entry.figures.total)),
                                ("answeredCalls", .int(entry.figures.answered))]))
        }
        return .object(["performance": .object(JSONObject([
            ("salespersonStats", .array(try salespersonStats())),
            ("leadConversion", snapshot.statusBreakdown),
            ("dailyCalls", .array(daily)),
            ("dispositions", try DispositionCounts(db: db, range: range).reportJSON()),
        ]))])
    }

    func salespersonStats() throws -> [JSON] {
        var figures: [String: CallFigures] = [:]
        if range.isUnbounded {
            figures = snapshot.byOperator
        } else {
            try CallTables.orEmpty(()) {
                var conditions = ["c.operator_id IS NOT NULL"]
                var params: [SQLValue] = []
                range.appendConditions(column: "c.created_at", to: &conditions, params: &params)
                try db.forEachRow("SELECT c.operator_id AS operator_id, \(CallFigures.selectList) FROM calls c WHERE "
                                  + conditions.joined(separator: " AND ") + " GROUP BY c.operator_id", params) { row in
                    figures[row.string("operator_id")] = CallFigures(row: row)
                }
            }
        }
        var entries: [(figures: CallFigures, name: String, json: JSONObject)] = []
        try db.forEachRow("SELECT id, name, email FROM users") { row in
            let id = row.string("id")
            guard let mine = figures[id], mine.total > 0 else { return }
            var json = JSONObject([("_id", .string(id)), ("id", .string(id)), ("name", .string(row.string("name"))),
                                   ("email", .string(row.string("email")))])
            for (key, value) in mine.summaryJSON { json[key] = value }
            json["successRate"] = .double(mine.successRate)
            entries.append((mine, row.string("name"), json))
        }
        entries.sort { a, b in a.figures.total != b.figures.total ? a.figures.total > b.figures.total : a.name < b.name }
        return entries.map { .object($0.json) }
    }

    /// The figures of the calls matching `filter` per UTC day that has calls, oldest first. One
    /// indexed range query per day between the first and the last matching call, so SQLite
    /// never sorts the rows of a long range.
    public static func daily(_ db: Database, _ filter: CallFilter) throws -> [(day: Int64, figures: CallFigures)] {
        try CallTables.orEmpty([]) {
            let (clause, params) = filter.whereClause()
            let edge = "SELECT c.created_at FROM calls c" + clause + " ORDER BY c.created_at "
            guard let first = try db.queryOne(edge + "ASC LIMIT 1", params)?.optionalInt(at: 0),
                  let last = try db.queryOne(edge + "DESC LIMIT 1", params)?.optionalInt(at: 0) else { return [] }
            var result: [(Int64, CallFigures)] = []
            for day in CallDateRange.days(from: first, through: last) {
                var daily = filter
                let dayStart = day * Timestamp.millisPerDay
                daily.range = CallDateRange(start: max(dayStart, filter.range.start ?? dayStart),
                                            end: min(dayStart + Timestamp.millisPerDay - 1,
                                                     filter.range.end ?? Int64.max))
                let figures = try CallFigures.query(db, daily)
                if figures.total > 0 { result.append((day, figures)) }
            }
            return result
        }
    }
}
