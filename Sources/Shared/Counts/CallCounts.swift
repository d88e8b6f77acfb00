/// The dialer-daemon's call counters (issue 16), kept by triggers on `calls` (`CountedAggregate`)
/// in tables the dialer-daemon owns like `calls`:
/// - `call_operator_counts(operator_id)`: every call's figures per operator ('' = none): calls,
///   answered (`answer_time` set), completed, total duration — the all-time dashboard figures;
/// - `call_day_counts(day, operator_id)`: the same per UTC day of `created_at` — today's calls
///   and any whole-day range;
/// - `call_answer_day_counts(day)`: the abandon rate's calls (`AbandonRateSQL`) per UTC day of
///   the answer: live answers of automatic calls (machines excluded) and the abandoned ones;
/// - `call_disposition_counts(day, operator_id, disposition)`: recorded dispositions per UTC day
///   of `created_at` and operator.
/// `day` is `created_at / 86400000` (days since the epoch, UTC), as `Timestamp.millisPerDay`.
public enum CallCounts {
    /// Calls, answered calls, completed calls and their duration (the `CallFigures` of the gateway).
    static let figures: [CountedAggregate.Column] = [
        .init("total", "1"), .init("answered", "({r}answer_time IS NOT NULL)"),
        .init("completed", "({r}status = 'completed')"), .init("duration", "coalesce({r}duration, 0)"),
    ]
    static let operatorKey = CountedAggregate.Column("operator_id", "coalesce({r}operator_id, '')")
    static let dayKey = CountedAggregate.Column("day", "({r}created_at / 86400000)")

    public static let byOperator = CountedAggregate(
        table: "call_operator_counts", source: "calls", keys: [operatorKey], measures: figures,
        keyTypes: ["operator_id": "TEXT"])

    public static let byDay = CountedAggregate(
        table: "call_day_counts", source: "calls", keys: [dayKey, operatorKey], measures: figures,
        keyTypes: ["operator_id": "TEXT"])

    public static let answersByDay = CountedAggregate(
        table: "call_answer_day_counts", source: "calls", keys: [.init("day", "({r}answer_time / 86400000)")],
        measures: [.init("answered", "1"), .init("abandoned", "({r}status = 'abandoned')")],
        filter: "{r}answer_time IS NOT NULL AND {r}mode = 'automatic' AND {r}status <> 'machine'")

    public static let dispositionsByDay = CountedAggregate(
        table: "call_disposition_counts", source: "calls",
        keys: [dayKey, operatorKey, .init("disposition", "{r}disposition")], measures: [.init("n", "1")],
        filter: "{r}disposition IS NOT NULL", keyTypes: ["operator_id": "TEXT", "disposition": "TEXT"])

    /// Every aggregate the dialer-daemon keeps (its migration creates them).
    public static let all = [byOperator, byDay, answersByDay, dispositionsByDay]

    /// Live answers and abandoned calls of the abandon rate whose answer fell on or after the UTC
    /// day of `since` (a day start: the figures of `AbandonRateSQL.countsSince` for it).
    public static func abandonCounts(_ db: Database, sinceDay day: Int64) throws -> (answered: Int64, abandoned: Int64) {
        let row = try db.queryOne("""
            SELECT coalesce(sum(answered), 0), coalesce(sum(abandoned), 0) FROM call_answer_day_counts WHERE day >= ?
            """, [.int(day)])
        return (row?.int(at: 0) ?? 0, row?.int(at: 1) ?? 0)
    }

    /// Calls created on or after UTC day `day`, of one operator when given ('' = no operator).
    public static func callsSince(_ db: Database, day: Int64, operatorId: String? = nil) throws -> Int64 {
        var sql = "SELECT coalesce(sum(total), 0) FROM call_day_counts WHERE day >= ?"
        var params: [SQLValue] = [.int(day)]
        if let operatorId {
            sql += " AND operator_id = ?"
            params.append(.text(operatorId))
        }
        return try db.queryOne(sql, params)?.int(at: 0) ?? 0
    }
}
