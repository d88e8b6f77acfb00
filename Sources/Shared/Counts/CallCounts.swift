/// The dialer-daemon's call counters (issue 16), kept by triggers on `calls` (`CountedAggregate`)
/// in one table the dialer-daemon owns like `calls`, `call_counts(day, kind, operator_id,
/// disposition)`, with four kinds of rows:
/// - `operator`: every call's figures per operator ('' = none): calls, answered (`answer_time`
///   set), completed, total duration — the all-time dashboard figures (day `allTime`);
/// - `day`: the same per UTC day of `created_at` and operator — today's calls, whole-day ranges;
/// - `answer`: the abandon rate's calls (`AbandonRateSQL`) per UTC day of the answer: live
///   answers of automatic calls (machines excluded) in `answered`, the abandoned ones in `abandoned`;
/// - `disposition`: recorded dispositions per UTC day of `created_at`, operator and disposition.
/// `day` is `created_at / 86400000` (days since the epoch, UTC). One table ordered by day first,
/// so that the rows one call status change moves (today's and the all-time ones, at the end of
/// the key order) share a page: a commit writes each dirty page whole to the WAL, and four tables
/// cost the dialer about twice its CPU per placed call (measured, docs/BENCHMARKS.md).
public enum CallCounts {
    public static let table = "call_counts"
    /// The `day` of the all-time rows: after every real day, next to today's rows.
    public static let allTime: Int64 = 1 << 40

    static let figures: [CountedAggregate.Column] = [
        .init("calls", "1"), .init("answered", "({r}answer_time IS NOT NULL)"),
        .init("completed", "({r}status = 'completed')"), .init("duration", "coalesce({r}duration, 0)"),
    ]
    static let operatorKey = CountedAggregate.Column("operator_id", "coalesce({r}operator_id, '')")
    static let createdDay = CountedAggregate.Column("day", "({r}created_at / 86400000)")
    static let types = ["kind": "TEXT", "operator_id": "TEXT", "disposition": "TEXT"]

    static func keys(day: CountedAggregate.Column, kind: String, operatorKey: String = "''",
                     disposition: String = "''") -> [CountedAggregate.Column] {
        [day, .init("kind", "'\(kind)'"), .init("operator_id", operatorKey), .init("disposition", disposition)]
    }

    /// Creates the table: the columns of every kind (a kind leaves the others at 0).
    static let createTable = """
        CREATE TABLE call_counts(day INTEGER NOT NULL, kind TEXT NOT NULL, operator_id TEXT NOT NULL,
            disposition TEXT NOT NULL, calls INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0, duration INTEGER NOT NULL DEFAULT 0,
            abandoned INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(day, kind, operator_id, disposition)) WITHOUT ROWID;
        """

    public static let byOperator = CountedAggregate(
        table: table, source: "calls", keys: keys(day: .init("day", "\(allTime)"), kind: "operator",
                                                  operatorKey: operatorKey.expression),
        measures: figures, keyTypes: types, name: "call_counts_operator", scope: "kind = 'operator'", sharesTable: true)

    public static let byDay = CountedAggregate(
        table: table, source: "calls", keys: keys(day: createdDay, kind: "day", operatorKey: operatorKey.expression),
        measures: figures, keyTypes: types, name: "call_counts_day", scope: "kind = 'day'", sharesTable: true)

    public static let answersByDay = CountedAggregate(
        table: table, source: "calls", keys: keys(day: .init("day", "({r}answer_time / 86400000)"), kind: "answer"),
        measures: [.init("answered", "1"), .init("abandoned", "({r}status = 'abandoned')")],
        filter: "{r}answer_time IS NOT NULL AND {r}mode = 'automatic' AND {r}status <> 'machine'",
        keyTypes: types, name: "call_counts_answer", scope: "kind = 'answer'", sharesTable: true)

    public static let dispositionsByDay = CountedAggregate(
        table: table, source: "calls", keys: keys(day: createdDay, kind: "disposition", operatorKey: operatorKey.expression,
                                                  disposition: "{r}disposition"),
        measures: [.init("calls", "1")], filter: "{r}disposition IS NOT NULL", keyTypes: types,
        name: "call_counts_disposition", scope: "kind = 'disposition'", sharesTable: true)

    /// Every aggregate the dialer-daemon keeps.
    public static let all = [byOperator, byDay, answersByDay, dispositionsByDay]

    /// The dialer's migration: the table, then each kind's triggers and first count.
    public static let migrationSQL = createTable + "\n" + all.map(\.createSQL).joined(separator: "\n")

    /// Live answers and abandoned calls of the abandon rate whose answer fell on or after UTC day
    /// `day` (the figures of `AbandonRateSQL.countsSince` for that day's start).
    public static func abandonCounts(_ db: Database, sinceDay day: Int64) throws -> (answered: Int64, abandoned: Int64) {
        let row = try db.queryOne("""
            SELECT coalesce(sum(answered), 0), coalesce(sum(abandoned), 0) FROM call_counts
            WHERE day >= ? AND day < \(allTime) AND kind = 'answer'
            """, [.int(day)])
        return (row?.int(at: 0) ?? 0, row?.int(at: 1) ?? 0)
    }

    /// Calls created on or after UTC day `day`, of one operator when given ('' = no operator).
    public static func callsSince(_ db: Database, day: Int64, operatorId: String? = nil) throws -> Int64 {
        var sql = "SELECT coalesce(sum(calls), 0) FROM call_counts WHERE day >= ? AND day < \(allTime) AND kind = 'day'"
        var params: [SQLValue] = [.int(day)]
        if let operatorId {
            sql += " AND operator_id = ?"
            params.append(.text(operatorId))
        }
        return try db.queryOne(sql, params)?.int(at: 0) ?? 0
    }

    /// `SELECT operator_id, calls, answered, completed, duration` of the all-time rows (bind
    /// nothing, or append `AND operator_id …`).
    public static let operatorFiguresSQL = """
        SELECT operator_id, calls, answered, completed, duration FROM call_counts WHERE day = \(allTime) AND kind = 'operator'
        """
}
