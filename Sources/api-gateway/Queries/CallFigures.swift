import Shared

/// The call figures every dashboard and report shows, summed by SQLite (never row by row in
/// Swift): how many calls, how many were answered, how many completed, and their talk time.
///
/// Definitions (documented fixes of reference §6):
/// - `answered` counts calls that **were** answered (`answer_time IS NOT NULL`: answered or
///   completed, and answered calls that ended some other way) — the earlier version counted only
///   calls whose status was `answered` at that moment, so a call that went on to `completed`
///   dropped out.
/// - `completed` counts status `completed` (the "successful" calls).
/// - `averageDuration` = total duration / total calls (seconds, two decimals; 0 without calls),
///   the earlier `$avg` over every call.
/// - `successRate` = completed / total (four decimals; 0 without calls) — the API document's
///   field the earlier version never computed.
public struct CallFigures: Equatable, Sendable {
    public var total: Int64 = 0
    public var answered: Int64 = 0
    public var completed: Int64 = 0
    public var duration: Int64 = 0

    public init(total: Int64 = 0, answered: Int64 = 0, completed: Int64 = 0, duration: Int64 = 0) {
        self.total = total
        self.answered = answered
        self.completed = completed
        self.duration = duration
    }

    public static let zero = CallFigures()

    /// Aggregate columns over `calls c`, read back by `init(row:)`.
    public static let selectList = "count(*) AS total, count(c.answer_time) AS answered, "
        + "coalesce(sum(c.status = 'completed'), 0) AS completed, coalesce(sum(c.duration), 0) AS duration"

    public init(row: Row) {
        self.init(total: row.int("total"), answered: row.int("answered"), completed: row.int("completed"),
                  duration: row.int("duration"))
    }

    /// The figures of the calls matching `filter` (zeros when `calls` does not exist yet).
    public static func query(_ db: Database, _ filter: CallFilter) throws -> CallFigures {
        try CallTables.orEmpty(.zero) {
            let (clause, params) = filter.whereClause()
            return try db.queryOne("SELECT \(selectList) FROM calls c" + clause, params).map(CallFigures.init(row:)) ?? .zero
        }
    }

    /// The figures of the calls created in whole UTC days `days` (nil bound = unbounded), of one
    /// operator when given, summed from the per-day rows of `call_counts` (issue 16) instead of the calls.
    public static func counted(_ db: Database, days: (first: Int64?, last: Int64?), operatorId: String?) throws -> CallFigures {
        var conditions = ["kind = 'day'", "day < \(CallCounts.allTime)"]
        var params: [SQLValue] = []
        if let first = days.first { conditions.append("day >= ?"); params.append(.int(first)) }
        if let last = days.last { conditions.append("day <= ?"); params.append(.int(last)) }
        if let operatorId { conditions.append("operator_id = ?"); params.append(.text(operatorId)) }
        return try CallTables.orEmpty(.zero) {
            try db.queryOne("""
                SELECT coalesce(sum(calls), 0) AS total, coalesce(sum(answered), 0) AS answered,
                       coalesce(sum(completed), 0) AS completed, coalesce(sum(duration), 0) AS duration
                FROM call_counts WHERE \(conditions.joined(separator: " AND "))
                """, params).map(CallFigures.init(row:)) ?? .zero
        }
    }

    public mutating func add(_ other: CallFigures) {
        total += other.total
        answered += other.answered
        completed += other.completed
        duration += other.duration
    }

    public var averageDuration: Double {
        total == 0 ? 0 : Self.rounded(Double(duration) / Double(total), places: 100)
    }

    public var successRate: Double {
        total == 0 ? 0 : Self.rounded(Double(completed) / Double(total), places: 10_000)
    }

    static func rounded(_ value: Double, places: Double) -> Double { (value * places).rounded() / places }

    /// `{totalCalls, answeredCalls, completedCalls, totalDuration, averageDuration}`.
    public var summaryJSON: JSONObject {
        JSONObject([("totalCalls", .int(total)), ("answeredCalls", .int(answered)),
                    ("completedCalls", .int(completed)), ("totalDuration", .int(duration)),
                    ("averageDuration", .double(averageDuration))])
    }
}
