import Shared

/// `GET /api/admin/dashboard` (reference §6.1, route #28) from a `DashboardSnapshot` plus a few
/// cheap fresh reads. Fixes of the earlier version (to be listed in the API documentation):
/// - `callStats.answeredCalls` counts calls that were answered (`answer_time IS NOT NULL`);
/// - `callStats.todayCalls` counts calls created since 00:00 **UTC** (the earlier version used
///   the server's local midnight while its daily buckets were UTC);
/// - `priorityBreakdown` lists all four priorities, urgent → low;
/// - `salespersonPerformance` comes from the `calls` table (the earlier figures were always 0):
///   every active operator with `totalCalls`, `successfulCalls` (completed), `totalDuration`,
///   `averageDuration`, `successRate` (also under `callStats`), busiest first;
/// - `leadStats` adds `claimedLeads` (the claimed status did not exist before);
/// - `dialingRules` (issue 12): `unknownTimezoneLeads`, pending leads not dialed for want of a zone.
public struct DashboardAdminQuery {
    /// How many calls `recentActivity` shows.
    public static let recentActivityLimit = 10

    public let db: Database
    public let snapshot: DashboardSnapshot
    public let nowMillis: Int64

    /// `{"dashboard": {...}}`.
    public func json() throws -> JSON {
        .object(["dashboard": .object(JSONObject([
            ("userStats", .object(try userStats())),
            ("leadStats", .object(leadStats())),
            ("callStats", .object(try callStats())),
            ("dialingRules", .object(try dialingRules())),
            ("todayDispositions", try DispositionCounts(db: db, range: CallDateRange(start: Timestamp.startOfUTCDay(
                millis: nowMillis))).reportJSON()),
            ("priorityBreakdown", snapshot.priorityBreakdown),
            ("salespersonPerformance", .array(try salespersonPerformance())),
            ("recentActivity", .array(try CallListQuery(db: db).newest(
                CallFilter(), limit: Self.recentActivityLimit, population: .activity))),
            ("pacing", .object(try DashboardPacingQuery(db: db, nowMillis: nowMillis).json())),  // issue 14
        ]))])
    }

    func userStats() throws -> JSONObject {
        let row = try db.queryOne("""
            SELECT count(*) AS total, coalesce(sum(is_active = 1), 0) AS active,
                   coalesce(sum(is_active = 1 AND is_available = 1 AND role = 'operator'), 0) AS available,
                   coalesce(sum(role = 'admin'), 0) AS admins
            FROM users
            """)
        return JSONObject([("totalUsers", .int(row?.int("total") ?? 0)), ("activeUsers", .int(row?.int("active") ?? 0)),
                           ("availableSalespeople", .int(row?.int("available") ?? 0)),
                           ("totalAdmins", .int(row?.int("admins") ?? 0))])
    }

    func leadStats() -> JSONObject {
        JSONObject([("totalLeads", .int(snapshot.totalLeads)), ("pendingLeads", .int(snapshot.leads(.pending))),
                    ("claimedLeads", .int(snapshot.leads(.claimed))), ("callingLeads", .int(snapshot.leads(.calling))),
                    ("answeredLeads", .int(snapshot.leads(.answered))),
                    ("transferredLeads", .int(snapshot.leads(.transferred))),
                    ("failedLeads", .int(snapshot.leads(.failed)))])
    }

    /// Issue 12: pending leads the auto-dialer will not call because their time zone is unknown
    /// (from `lead_counts`, issue 16).
    func dialingRules() throws -> JSONObject {
        let unknown = try CallTables.orEmpty(0) { try LeadCounts.unknownZonePending(db) }
        return JSONObject([("unknownTimezoneLeads", .int(unknown))])
    }

    func callStats() throws -> JSONObject {
        let totals = snapshot.totals
        let today = try Self.callsSince(db, Timestamp.startOfUTCDay(millis: nowMillis))
        return JSONObject([("totalCalls", .int(totals.total)), ("todayCalls", .int(today)),
                           ("answeredCalls", .int(totals.answered)), ("completedCalls", .int(totals.completed)),
                           ("totalDuration", .int(totals.duration)), ("averageDuration", .double(totals.averageDuration))])
    }

    /// Calls created on or after the UTC day of `millis` (by one operator when given), from the
    /// per-day rows of `call_counts` (issue 16): a few rows whatever the number of calls.
    public static func callsSince(_ db: Database, _ millis: Int64, operatorId: String? = nil) throws -> Int64 {
        try CallTables.orEmpty(0) {
            try CallCounts.callsSince(db, day: Timestamp.startOfUTCDay(millis: millis) / Timestamp.millisPerDay,
                                      operatorId: operatorId)
        }
    }

    func salespersonPerformance() throws -> [JSON] {
        var entries: [(figures: CallFigures, name: String, json: JSONObject)] = []
        try db.forEachRow("""
            SELECT id, name, email, is_available, last_login FROM users WHERE role = 'operator' AND is_active = 1
            """) { row in
            let id = row.string("id")
            let figures = snapshot.figures(operator: id)
            let stats = UserJSON.CallStats(totalCalls: figures.total, successfulCalls: figures.completed,
                                           totalDuration: figures.duration)
            entries.append((figures, row.string("name"), JSONObject([
                ("_id", .string(id)), ("id", .string(id)), ("name", .string(row.string("name"))),
                ("email", .string(row.string("email"))), ("isAvailable", .bool(row.bool("is_available"))),
                ("lastLogin", CallJSON.time(row.optionalInt("last_login"))), ("callStats", stats.json),
                ("totalCalls", .int(figures.total)), ("successfulCalls", .int(figures.completed)),
                ("totalDuration", .int(figures.duration)), ("averageDuration", .double(figures.averageDuration)),
                ("successRate", .double(figures.successRate)),
            ])))
        }
        entries.sort { a, b in
            a.figures.total != b.figures.total ? a.figures.total > b.figures.total : a.name < b.name
        }
        return entries.map { .object($0.json) }
    }
}
