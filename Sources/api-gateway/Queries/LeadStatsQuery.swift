import Shared

/// `GET /api/leads/stats/summary` (route #12, original-behaviour §6.4 with its gaps filled):
/// over active leads, `summary` counts every status (`total`, then one key per `LeadStatus`,
/// zeros included) and `priorityBreakdown` lists all four priorities urgent → low as
/// `{"_id": <priority>, "count"}`, zeros included. One grouped scan, cached per
/// `PRAGMA data_version`.
final class LeadStatsQuery {
    private let db: Database
    private let cache = LeadQueryCache<JSONObject>(capacity: 1)

    init(db: Database) {
        self.db = db
    }

    func run() throws -> JSONObject {
        let version = try db.dataVersion
        return try cache.value("stats", version: version, now: 0) { (try compute(), .max) }
    }

    private func compute() throws -> JSONObject {
        var byStatus: [String: Int64] = [:]
        var byRank = [Int64](repeating: 0, count: LeadPriority.allCases.count)
        var total: Int64 = 0
        try db.forEachRow("""
            SELECT status, priority_rank, count(*) FROM leads WHERE is_active = 1 GROUP BY status, priority_rank
            """) { row in
            let n = row.int(at: 2)
            total += n
            byStatus[row.string(at: 0), default: 0] += n
            let rank = Int(row.int(at: 1))
            if byRank.indices.contains(rank) { byRank[rank] += n }
        }
        var summary = JSONObject([("total", .int(total))])
        for status in LeadStatus.allCases { summary[status.rawValue] = .int(byStatus[status.rawValue] ?? 0) }
        let breakdown = LeadPriority.allCases.sorted().map { priority -> JSON in
            .object(JSONObject([("_id", .string(priority.rawValue)), ("count", .int(byRank[priority.rank]))]))
        }
        return JSONObject([("summary", .object(summary)), ("priorityBreakdown", .array(breakdown))])
    }
}
