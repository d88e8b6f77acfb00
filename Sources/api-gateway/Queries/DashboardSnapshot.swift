import Shared

/// The expensive, all-time part of the dashboards and reports, computed by aggregate queries
/// that SQLite runs over indexes (no row reaches Swift):
/// - call figures per operator from `DashboardCallLedger` (a full `GROUP BY operator_id` once,
///   then only the newest and the still-live calls on each refresh);
/// - active leads per status and priority: `GROUP BY status, priority_rank` over the covering
///   index `(status, is_active, priority_rank, created_at)`.
/// Everything cheap (users, today's calls, the newest calls, lead lists) is read fresh per
/// request instead; `DashboardReader` caches a snapshot keyed by `PRAGMA data_version`.
public struct DashboardSnapshot: Sendable {
    /// Figures per operator id; calls without an operator under "".
    public var byOperator: [String: CallFigures] = [:]
    /// Figures over every call.
    public var totals = CallFigures.zero
    /// Active leads per status (raw status text, so unexpected values are still counted).
    public var leadsByStatus: [String: Int64] = [:]
    /// Active leads per `priority_rank` (0 = urgent … 3 = low).
    public var leadsByRank: [Int: Int64] = [:]
    /// Monotonic time (µs) just before the queries ran.
    public var takenAtMicros: UInt64 = 0

    public init() {}

    /// Runs the aggregates in one read transaction (one consistent view).
    public static func compute(_ db: Database, ledger: inout DashboardCallLedger) throws -> DashboardSnapshot {
        var snapshot = DashboardSnapshot()
        snapshot.takenAtMicros = MonotonicClock.micros()
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        snapshot.byOperator = try CallTables.orEmpty([:]) { try ledger.figures(db, nowMicros: snapshot.takenAtMicros) }
        for figures in snapshot.byOperator.values { snapshot.totals.add(figures) }
        try CallTables.orEmpty(()) {
            try db.forEachRow("""
                SELECT status, priority_rank, count(*) AS n FROM leads WHERE is_active = 1
                GROUP BY status, priority_rank
                """) { row in
                let count = row.int("n")
                snapshot.leadsByStatus[row.string("status"), default: 0] += count
                snapshot.leadsByRank[Int(clamping: row.int("priority_rank")), default: 0] += count
            }
        }
        return snapshot
    }

    /// Figures of one operator (zeros when they have no calls).
    public func figures(operator id: String) -> CallFigures { byOperator[id] ?? .zero }

    /// Active leads in total.
    public var totalLeads: Int64 { leadsByStatus.values.reduce(0, +) }

    public func leads(_ status: LeadStatus) -> Int64 { leadsByStatus[status.rawValue] ?? 0 }

    /// `[{_id: priority, count}]` for all four priorities, urgent first (fix of the earlier
    /// alphabetical order that put urgent last and left out absent priorities).
    public var priorityBreakdown: JSON {
        .array(LeadPriority.allCases.sorted().map { priority in
            .object(["_id": .string(priority.rawValue), "count": .int(leadsByRank[priority.rank] ?? 0)])
        })
    }

    /// `[{_id: status, count}]` for every lead status in lifecycle order.
    public var statusBreakdown: JSON {
        .array(LeadStatus.allCases.map { status in
            .object(["_id": .string(status.rawValue), "count": .int(leads(status))])
        })
    }
}
