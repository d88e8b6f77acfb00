/// The queue-daemon's lead counters (issue 16): active leads per status, priority rank and
/// whether their time zone is unknown, kept in `lead_counts` (owned by the queue-daemon like
/// `leads`) by triggers on every update and delete of `leads` (`CountedAggregate`), and on insert
/// by the two writers that insert leads (`LeadStore.insert`, `LeadImportWriter`) through
/// `countInserted`, in the same transaction: a trigger per row would cost a CSV import more than
/// the counting does. Every reader that used to run
/// `GROUP BY status, priority_rank` over up to millions of leads (dashboards, lead stats, queue
/// status, metrics) sums these few rows instead.
public enum LeadCounts {
    public static let table = "lead_counts"

    public static let aggregate = CountedAggregate(
        table: table, source: "leads",
        keys: [.init("status", "{r}status"), .init("priority_rank", "{r}priority_rank"),
               .init("unknown_zone", "({r}timezone_source IS 'unknown')")],
        measures: [.init("n", "1")],
        filter: "{r}is_active = 1",
        keyTypes: ["status": "TEXT"], insertTrigger: false)

    /// Every aggregate the queue-daemon keeps (its migration creates them).
    public static let all = [aggregate]

    /// Counts the leads just inserted that match `condition` (`rowid > ?` after an import chunk,
    /// `rowid = last_insert_rowid()` after one create; rowids, since the scan uses no index);
    /// call it right after the INSERT, in its transaction.
    public static func countInserted(_ db: Database, where condition: String, _ params: [SQLValue]) throws {
        for counted in all { try counted.countInserted(db, where: condition, params) }
    }

    /// One group: active leads with this status, rank and zone knowledge.
    public struct Group: Equatable, Sendable {
        public var status: String
        public var rank: Int
        public var unknownZone: Bool
        public var count: Int64
    }

    /// The groups with a non-zero count.
    public static func groups(_ db: Database) throws -> [Group] {
        var groups: [Group] = []
        try db.forEachRow("SELECT status, priority_rank, unknown_zone, n FROM lead_counts WHERE n <> 0") { row in
            groups.append(Group(status: row.string(at: 0), rank: Int(clamping: row.int(at: 1)),
                                unknownZone: row.int(at: 2) != 0, count: row.int(at: 3)))
        }
        return groups
    }

    /// Active leads per status (raw status text).
    public static func byStatus(_ db: Database) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for group in try groups(db) { counts[group.status, default: 0] += group.count }
        return counts
    }

    /// Pending active leads whose time zone is unknown (not dialed automatically, issue 12).
    public static func unknownZonePending(_ db: Database) throws -> Int64 {
        try db.queryOne("""
            SELECT coalesce(sum(n), 0) FROM lead_counts WHERE status = 'pending' AND unknown_zone = 1
            """)?.int(at: 0) ?? 0
    }
}
