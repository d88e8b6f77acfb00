import Shared

/// The `startDate` / `endDate` query parameters of the call lists, summaries and reports, as an
/// inclusive range of `created_at` milliseconds. Both are ISO 8601 dates or date-times; a
/// date-only `endDate` covers its whole UTC day (fix of bug 36: the earlier version cut it at
/// midnight at the start of that day). An end before the start is a 400, never an empty answer.
public struct CallDateRange: Equatable, Sendable {
    /// Inclusive lower bound (epoch ms), nil = unbounded.
    public var start: Int64?
    /// Inclusive upper bound (epoch ms), nil = unbounded.
    public var end: Int64?

    public init(start: Int64? = nil, end: Int64? = nil) {
        self.start = start
        self.end = end
    }

    /// No bound at all.
    public var isUnbounded: Bool { start == nil && end == nil }

    /// `"endDate" must be greater than or equal to "startDate"` (Joi's wording in the earlier version).
    public static let orderMessage = "\"endDate\" must be greater than or equal to \"startDate\""

    /// Reads `startDate` and `endDate`; 400 naming the parameter when malformed or out of order.
    public static func parse(_ request: HTTPRequest) throws -> CallDateRange {
        let start = try QueryParams.date(request, "startDate")
        let end = try QueryParams.date(request, "endDate", rangeEnd: true)
        if let start, let end, end < start { throw HTTPError.validation(orderMessage) }
        return CallDateRange(start: start, end: end)
    }

    /// Appends `column >= ?` / `column <= ?` conditions for the bounds that are set.
    public func appendConditions(column: String, to conditions: inout [String], params: inout [SQLValue]) {
        if let start {
            conditions.append("\(column) >= ?")
            params.append(.int(start))
        }
        if let end {
            conditions.append("\(column) <= ?")
            params.append(.int(end))
        }
    }

    /// The range as whole UTC days (day numbers, nil = unbounded) when each bound is one (a day's
    /// first millisecond to start, its last to end), so per-day counters answer it exactly; nil
    /// when a bound falls inside a day.
    public var wholeDays: (first: Int64?, last: Int64?)? {
        let day = Timestamp.millisPerDay
        if let start, start % day != 0 { return nil }
        if let end, (end + 1) % day != 0 { return nil }
        return (start.map { $0 / day }, end.map { ($0 + 1) / day - 1 })
    }

    /// The UTC days (as day numbers since the epoch) from the day of `first` to the day of `last`.
    public static func days(from first: Int64, through last: Int64) -> ClosedRange<Int64> {
        let a = Timestamp.startOfUTCDay(millis: first) / Timestamp.millisPerDay
        let b = Timestamp.startOfUTCDay(millis: last) / Timestamp.millisPerDay
        return a...max(a, b)
    }

    /// `{"year","month","day"}` of a day number (the `_id` of the daily buckets).
    public static func dayKey(_ day: Int64) -> JSON {
        let (year, month, dayOfMonth) = Timestamp.civil(millis: day * Timestamp.millisPerDay)
        return .object(["year": .int(Int64(year)), "month": .int(Int64(month)), "day": .int(Int64(dayOfMonth))])
    }
}
