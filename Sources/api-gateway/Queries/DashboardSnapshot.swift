import Shared

/// The all-time part of the dashboards and reports, read from the counters their owners keep in
/// the same transaction as every change (issue 16: `CallCounts`, `LeadCounts`), so it costs a
/// few dozen rows whatever the size of `calls` and `leads`:
/// - call figures per operator from the all-time rows of `call_counts`;
/// - active leads per status and priority from `lead_counts`.
/// Everything else (users, today's calls, the newest calls, lead lists) is read per request;
/// `DashboardReader` still caches a snapshot keyed by `PRAGMA data_version`.
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

    /// Reads the counters in one read transaction (one consistent view).
    public static func compute(_ db: Database) throws -> DashboardSnapshot {
        var snapshot = DashboardSnapshot()
        snapshot.takenAtMicros = MonotonicClock.micros()
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        try CallTables.orEmpty(()) {
            try db.forEachRow(CallCounts.operatorFiguresSQL) { row in
                let figures = CallFigures(total: row.int(at: 1), answered: row.int(at: 2), completed: row.int(at: 3),
                                          duration: row.int(at: 4))
                snapshot.byOperator[row.string(at: 0), default: .zero].add(figures)
                snapshot.totals.add(figures)
            }
        }
        try CallTables.orEmpty(()) {
            for group in try LeadCounts.groups(db) {
                snapshot.leadsByStatus[group.status, default: 0] += group.count
                snapshot.leadsByRank[group.rank, default: 0] += group.count
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
