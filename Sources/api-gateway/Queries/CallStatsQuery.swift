import Shared

/// `GET /api/calls/stats/summary` (reference §6.5, route #19) with its filters working (fix of
/// bug 6: the date range was ignored and `salespersonId` never matched): `startDate`/`endDate`
/// (`CallDateRange`) and `salespersonId` (admins; operators always see themselves) →
/// `{"summary": {totalCalls, answeredCalls, completedCalls, totalDuration, averageDuration,
/// totalCost: 0}, "recentCalls": [the 10 newest matching calls, lead {_id,id,phone,name},
/// salesperson {_id,id,name}]}`. Without a date range the figures come from the snapshot, with
/// whole UTC days (date-only `startDate`/`endDate`) from the per-day counters (issue 16).
public struct CallStatsQuery {
    public static let recentLimit = 10

    public let db: Database
    public let snapshot: DashboardSnapshot
    public let filter: CallFilter

    public func json() throws -> JSON {
        let figures: CallFigures
        let counted = filter.leadId == nil && filter.status == nil
        if counted && filter.range.isUnbounded {
            figures = filter.operatorId.map { snapshot.figures(operator: $0) } ?? snapshot.totals
        } else if counted, let days = filter.range.wholeDays {
            figures = try CallFigures.counted(db, days: days, operatorId: filter.operatorId)
        } else {
            figures = try CallFigures.query(db, filter)
        }
        var summary = figures.summaryJSON
        summary["totalCost"] = 0
        let recent = try CallListQuery(db: db).newest(filter, limit: Self.recentLimit, population: .activity)
        return .object(["summary": .object(summary), "recentCalls": .array(recent)])
    }
}
