import Shared

/// `ibrat_leads{status,priority}`: active leads by status and priority, every combination listed
/// (zeros included) so series never vanish. Read from the queue-daemon's `lead_counts` (issue 16: a
/// few dozen rows), cached per data version (`LeadRefreshingCache`); the version comes from
/// `LeadDataVersion`, so a scrape with no commit since the last one runs no SQL at all (issue 15).
final class LeadMetricsQuery {
    static let name = "ibrat_leads"
    private let dataVersion: LeadDataVersion
    private let cache: LeadRefreshingCache<[Int64]>

    init(db: Database, worker: LeadReadWorker?) {
        dataVersion = LeadDataVersion(db: db)
        cache = LeadRefreshingCache(db: db, worker: worker, capacity: 1)
    }

    /// The family, or nil when the database cannot be read (the scrape goes on without it).
    func family() -> MetricFamilySnapshot? {
        guard let version = try? dataVersion.current,
              let counts = try? cache.value("leads", version: version, now: 0, compute: { db, _ in (try Self.count(db), .max) })
        else { return nil }
        var series: [MetricSeries] = []
        for (s, status) in LeadStatus.allCases.enumerated() {
            for priority in LeadPriority.allCases.sorted() {
                let value = counts.value[s * LeadPriority.allCases.count + priority.rank]
                series.append(MetricSeries([("status", status.rawValue), ("priority", priority.rawValue)], Double(value)))
            }
        }
        return .gauge(Self.name, "Active (not deleted) leads by status and priority.", series)
    }

    /// Counts indexed by status position × priority rank.
    static func count(_ db: Database) throws -> [Int64] {
        let width = LeadPriority.allCases.count
        var counts = [Int64](repeating: 0, count: LeadStatus.allCases.count * width)
        let statusIndex = Dictionary(uniqueKeysWithValues: LeadStatus.allCases.enumerated().map { ($1.rawValue, $0) })
        try db.forEachRow("""
            SELECT status, priority_rank, sum(n) FROM lead_counts GROUP BY status, priority_rank
            """) { row in
            let rank = Int(row.int(at: 1))
            guard let s = statusIndex[row.string(at: 0)], (0..<width).contains(rank) else { return }
            counts[s * width + rank] += row.int(at: 2)
        }
        return counts
    }
}
