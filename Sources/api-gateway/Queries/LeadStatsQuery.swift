import Shared

/// `GET /api/leads/stats/summary` (route #12, original-behaviour §6.4 with its gaps filled):
/// over active leads, `summary` counts every status (`total`, then one key per `LeadStatus`,
/// zeros included) and `priorityBreakdown` lists all four priorities urgent → low as
/// `{"_id": <priority>, "count"}`, zeros included. Read from the queue-daemon's `lead_counts`
/// (issue 16: a few dozen rows, whatever the number of leads), cached per `PRAGMA data_version`.
final class LeadStatsQuery {
    private let db: Database
    private let cache: LeadRefreshingCache<JSONObject>

    init(db: Database, worker: LeadReadWorker?) {
        self.db = db
        cache = LeadRefreshingCache(db: db, worker: worker, capacity: 1)
    }

    func run() throws -> JSONObject {
        let version = try db.dataVersion
        return try cache.value("stats", version: version, now: 0) { db, _ in (try Self.compute(db), .max) }.value
    }

    private static func compute(_ db: Database) throws -> JSONObject {
        var byStatus: [String: Int64] = [:]
        var byRank = [Int64](repeating: 0, count: LeadPriority.allCases.count)
        var total: Int64 = 0
        try CallTables.orEmpty(()) {
            try db.forEachRow("""
                SELECT status, priority_rank, sum(n) FROM lead_counts GROUP BY status, priority_rank
                """) { row in
                let n = row.int(at: 2)
                total += n
                byStatus[row.string(at: 0), default: 0] += n
                let rank = Int(row.int(at: 1))
                if byRank.indices.contains(rank) { byRank[rank] += n }
            }
        }
        var summary = JSONObject([("total", .int(total))])
        for status in LeadStatus.allCases { summary[status.rawValue] = .int(byStatus[status.rawValue] ?? 0) }
        let breakdown = LeadPriority.allCases.sorted().map { priority -> JSON in
            .object(JSONObject([("_id", .string(priority.rawValue)), ("count", .int(byRank[priority.rank]))]))
        }
        return JSONObject([("summary", .object(summary)), ("priorityBreakdown", .array(breakdown))])
    }
}
