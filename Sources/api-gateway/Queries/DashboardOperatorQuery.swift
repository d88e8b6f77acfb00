import Shared

/// `GET /api/operator/dashboard` (reference §6.7, route #33) for the caller:
/// - `personalStats`: the caller's figures (`CallFigures` definitions, `todayCalls` since UTC
///   midnight) from the snapshot;
/// - `assignedLeads`: active leads assigned to the caller, urgent first then oldest (priority
///   by rank, never alphabetically), at most 10;
/// - `recentCalls`: the caller's 10 newest calls, lead `{_id,id,phone,name,priority}`;
/// - `availableLeads`: the leads of `/api/operator/leads/available` (pending, active, unassigned,
///   not waiting for a retry time) in the same order, at most 5;
/// - `performanceRanking`: active operators with calls, by success rate then total calls
///   (ties by name), the top 10, each `{_id,id,name,totalCalls,completedCalls,totalDuration,
///   successRate}`; `operatorRank` is the caller's 1-based place in the full ranking, a number,
///   or `null` (admins, operators without calls; the earlier version's "Not ranked" string broke
///   panels that compare it as a number).
public struct DashboardOperatorQuery {
    public static let assignedLimit = 10
    public static let recentLimit = 10
    public static let availableLimit = 5
    public static let rankingLimit = 10

    /// Lead columns of the lead lists.
    static let leadColumns = "id, phone, name, email, status, priority, call_attempts, next_call_time, assigned_to, "
        + "tags, created_at, updated_at"

    public let db: Database
    public let snapshot: DashboardSnapshot
    public let caller: AuthUser
    public let nowMillis: Int64

    /// `{"dashboard": {...}}`.
    public func json() throws -> JSON {
        let (ranking, rank) = try performanceRanking()
        let mine = snapshot.figures(operator: caller.id)
        let today = try DashboardAdminQuery.callsSince(db, Timestamp.startOfUTCDay(millis: nowMillis), operatorId: caller.id)
        let stats = JSONObject([
            ("totalCalls", .int(mine.total)), ("todayCalls", .int(today)), ("answeredCalls", .int(mine.answered)),
            ("completedCalls", .int(mine.completed)), ("totalDuration", .int(mine.duration)),
            ("averageDuration", .double(mine.averageDuration)), ("successRate", .double(mine.successRate)),
        ])
        let recent = try CallListQuery(db: db).newest(CallFilter(operatorId: caller.id), limit: Self.recentLimit,
                                                      population: .history)
        return .object(["dashboard": .object(JSONObject([
            ("personalStats", .object(stats)),
            ("assignedLeads", .array(try leads(where: "assigned_to = ? AND is_active = 1", [.text(caller.id)],
                                              limit: Self.assignedLimit))),
            ("recentCalls", .array(recent)),
            ("availableLeads", .array(try leads(where: LeadAvailableQuery.availableCondition + " AND "
                                                   + LeadAvailableQuery.dueCondition, [.int(nowMillis)],
                                               limit: Self.availableLimit))),
            ("performanceRanking", .array(ranking)),
            ("operatorRank", rank.map { .int(Int64($0)) } ?? .null),
            ("todayDispositions", try DispositionCounts(db: db, range: CallDateRange(start: Timestamp.startOfUTCDay(
                millis: nowMillis)), operatorId: caller.id).summaryJSON()),
            ("operatorState", try DashboardPacingQuery(db: db, nowMillis: nowMillis).state(of: caller.id)
                .map(JSON.string) ?? .null),  // issue 14
        ]))])
    }

    /// The top of the ranking and the caller's place in all of it.
    func performanceRanking() throws -> (top: [JSON], rank: Int?) {
        var entries: [(id: String, name: String, figures: CallFigures)] = []
        try db.forEachRow("SELECT id, name FROM users WHERE role = 'operator' AND is_active = 1") { row in
            let id = row.string("id")
            let figures = snapshot.figures(operator: id)
            if figures.total > 0 { entries.append((id, row.string("name"), figures)) }
        }
        entries.sort { a, b in
            if a.figures.successRate != b.figures.successRate { return a.figures.successRate > b.figures.successRate }
            if a.figures.total != b.figures.total { return a.figures.total > b.figures.total }
            return a.name != b.name ? a.name < b.name : a.id < b.id
        }
        let top: [JSON] = entries.prefix(Self.rankingLimit).map { entry in
            .object(JSONObject([
                ("_id", .string(entry.id)), ("id", .string(entry.id)), ("name", .string(entry.name)),
                ("totalCalls", .int(entry.figures.total)), ("completedCalls", .int(entry.figures.completed)),
                ("totalDuration", .int(entry.figures.duration)), ("successRate", .double(entry.figures.successRate)),
            ]))
        }
        let rank = entries.firstIndex { $0.id == caller.id }.map { $0 + 1 }
        return (top, rank)
    }

    /// Active leads matching `condition`, urgent first then oldest.
    func leads(where condition: String, _ params: [SQLValue], limit: Int) throws -> [JSON] {
        try CallTables.orEmpty([]) {
            var leads: [JSON] = []
            try db.forEachRow("SELECT \(Self.leadColumns) FROM leads WHERE \(condition) "
                              + "ORDER BY priority_rank, created_at LIMIT ?", params + [.int(Int64(limit))]) { row in
                leads.append(.object(Self.leadCard(row)))
            }
            return leads
        }
    }

    /// A lead as the dashboard lists show it (the fields panels use; same names as the lead routes).
    static func leadCard(_ row: Row) -> JSONObject {
        let id = JSON.string(row.string("id"))
        let tags = (try? JSON.parse(row.string("tags")))?.array ?? []
        return JSONObject([
            ("_id", id), ("id", id), ("phone", .string(row.string("phone"))), ("name", .string(row.string("name"))),
            ("email", .string(row.string("email"))), ("status", .string(row.string("status"))),
            ("priority", .string(row.string("priority"))), ("callAttempts", .int(row.int("call_attempts"))),
            ("nextCallTime", CallJSON.time(row.optionalInt("next_call_time"))),
            ("assignedTo", JSON.from(row.optionalString("assigned_to"))), ("tags", .array(tags.filter { $0.string != nil })),
            ("createdAt", CallJSON.time(row.optionalInt("created_at"))),
            ("updatedAt", CallJSON.time(row.optionalInt("updated_at"))),
        ])
    }
}
