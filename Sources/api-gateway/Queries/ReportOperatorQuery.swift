import Shared

/// `GET /api/operator/profile/performance?startDate&endDate` (reference §6.8, route #40) for the
/// caller → `{performance, dailyPerformance, leadConversion}` (not wrapped, as before):
/// - `performance`: `{totalCalls, answeredCalls, completedCalls, totalDuration,
///   averageDuration, successRate}` over the caller's calls in the range (`CallFigures`);
/// - `dailyPerformance`: per UTC day with calls, oldest first,
///   `{_id: {year, month, day}, calls, answered, completed, duration}`;
/// - `leadConversion`: the same calls grouped by the called lead's priority, all four
///   priorities urgent → low, `{_id: priority, totalCalls, answeredCalls, completedCalls}`.
public struct ReportOperatorQuery {
    public let db: Database
    public let snapshot: DashboardSnapshot
    public let operatorId: String
    public let range: CallDateRange

    var filter: CallFilter { CallFilter(operatorId: operatorId, range: range) }

    public func json() throws -> JSON {
        let figures = range.isUnbounded ? snapshot.figures(operator: operatorId) : try CallFigures.query(db, filter)
        var performance = figures.summaryJSON
        performance["successRate"] = .double(figures.successRate)
        performance["dispositions"] = try DispositionCounts(db: db, range: range, operatorId: operatorId).summaryJSON()
        let daily = try ReportPerformanceQuery.daily(db, filter).map { entry -> JSON in
            .object(JSONObject([
                ("_id", CallDateRange.dayKey(entry.day)), ("calls", .int(entry.figures.total)),
                ("answered", .int(entry.figures.answered)), ("completed", .int(entry.figures.completed)),
                ("duration", .int(entry.figures.duration)),
            ]))
        }
        return .object(JSONObject([
            ("performance", .object(performance)),
            ("dailyPerformance", .array(daily)),
            ("leadConversion", .array(try leadConversion())),
        ]))
    }

    /// Calls joined to their lead (a primary-key lookup per call) grouped by priority rank.
    func leadConversion() throws -> [JSON] {
        var byRank: [Int: CallFigures] = [:]
        try CallTables.orEmpty(()) {
            let (clause, params) = filter.whereClause()
            try db.forEachRow("SELECT l.priority_rank AS rank, \(CallFigures.selectList) FROM calls c "
                              + "JOIN leads l ON l.id = c.lead_id" + clause + " GROUP BY l.priority_rank", params) { row in
                byRank[Int(clamping: row.int("rank")), default: .zero].add(CallFigures(row: row))
            }
        }
        return LeadPriority.allCases.sorted().map { priority in
            let figures = byRank[priority.rank] ?? .zero
            return .object(JSONObject([
                ("_id", .string(priority.rawValue)), ("totalCalls", .int(figures.total)),
                ("answeredCalls", .int(figures.answered)), ("completedCalls", .int(figures.completed)),
            ]))
        }
    }
}
