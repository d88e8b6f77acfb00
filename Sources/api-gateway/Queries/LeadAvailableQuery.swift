import Shared

/// `GET /api/operator/leads/available` (route #34), the hottest read of the system: leads that are
/// pending, active, unassigned and due (`next_call_time` NULL or ≤ now), optionally of one
/// priority and matching a literal search, ordered urgent → high → medium → low and oldest first
/// (`priority_rank, created_at`, served by the index `(status, is_active, priority_rank,
/// created_at)`). Both the filter's `total` and the serialised response body are cached per
/// `PRAGMA data_version`; entries also expire when the earliest not-yet-due lead of the filter
/// becomes due, because time alone changes the answer then. A count that takes long (100,000
/// leads) is refreshed on a worker thread while the previous total is served, so commits by the
/// queue-daemon never stall the loop; the page itself is always read fresh. Loop thread only.
final class LeadAvailableQuery {
    /// The available-list filter: an optional priority and search text, plus the page.
    struct Filter: Equatable {
        var priority: LeadPriority?
        var search: String?
        var page = 1
        var limit = 20

        /// Identifies the counted rows (page excluded).
        var countKey: String { "\(priority?.rank ?? -1)|\(search ?? "")" }
        var pageKey: String { "\(page)|\(limit)|" + countKey }
    }

    struct Count {
        let total: Int64
        /// Epoch millis when the next lead of this filter becomes due (`Int64.max` if none).
        let nextDueAt: Int64
    }

    private let db: Database
    let counts: LeadRefreshingCache<Count>
    private let pages: LeadQueryCache<[UInt8]>
    private let dataVersion: LeadDataVersion

    /// With a `worker`, counts that got expensive are refreshed off the loop (see
    /// `LeadRefreshingCache`); without one they are always recomputed on the loop.
    init(db: Database, worker: LeadReadWorker?, cacheCapacity: Int = LeadQueryCache<Int64>.defaultCapacity) {
        self.db = db
        dataVersion = LeadDataVersion(db: db)
        counts = LeadRefreshingCache(db: db, worker: worker, capacity: cacheCapacity)
        let pages = LeadQueryCache<[UInt8]>(capacity: cacheCapacity)
        self.pages = pages
        // Pages rendered with a stale total are dropped once the fresh total is in.
        counts.onRefresh = { pages.removeAll() }
    }

    /// Responses served from the page cache (tests, diagnostics).
    var pageCacheHits: Int { pages.hits }

    /// The response body `{"leads":[…],"pagination":{…}}` as JSON bytes for `now` (epoch millis).
    func body(_ filter: Filter, now: Int64) throws -> [UInt8] {
        let version = try dataVersion.current
        if let cached = pages.lookup(filter.pageKey, version: version, now: now) { return cached }
        let (conditions, params) = Self.conditions(filter)
        let (count, _) = try counts.value(filter.countKey, version: version, now: now) { db, now in
            let count = try Self.count(db, conditions: conditions, params: params, now: now)
            return (count, count.nextDueAt)
        }
        var leads: [JSON] = []
        let offset = (filter.page - 1) * filter.limit
        if count.total > Int64(offset) {
            leads.reserveCapacity(filter.limit)
            let sql = """
                SELECT \(LeadJSON.columns) FROM leads
                WHERE \(conditions) AND \(Self.dueCondition)
                ORDER BY priority_rank, created_at, rowid LIMIT ? OFFSET ?
                """
            try db.forEachRow(sql, params + [.int(now), .int(Int64(filter.limit)), .int(Int64(offset))]) { row in
                leads.append(.object(LeadJSON.render(row: row)))
            }
        }
        let response = JSON.object(JSONObject([
            ("leads", .array(leads)),
            ("pagination", Pagination(page: filter.page, limit: filter.limit).json(total: Int(count.total))),
        ]))
        let bytes = response.serialized()
        pages.store(filter.pageKey, version: version, value: bytes, expiresAt: count.nextDueAt)
        return bytes
    }

    /// The due rows of the filter and when its next not-yet-due row becomes due, in one scan.
    static func count(_ db: Database, conditions: String, params: [SQLValue], now: Int64) throws -> Count {
        let row = try db.queryOne("""
            SELECT coalesce(sum(next_call_time IS NULL OR next_call_time <= ?), 0),
                   min(CASE WHEN next_call_time > ? THEN next_call_time END)
            FROM leads WHERE \(conditions)
            """, [.int(now), .int(now)] + params)
        return Count(total: row?.int(at: 0) ?? 0, nextDueAt: row?.optionalInt(at: 1) ?? .max)
    }

    /// Leads an operator may take: pending, active, unassigned, not on the do-not-call list (a call
    /// to one is refused, so it is not offered). With `dueCondition` (one parameter:
    /// now) the available leads; the operator dashboard uses the same two, so both agree.
    static let availableCondition = "status = 'pending' AND is_active = 1 AND assigned_to IS NULL AND do_not_call = 0"
    /// Not waiting for a retry time.
    static let dueCondition = "(next_call_time IS NULL OR next_call_time <= ?)"

    /// The conditions shared by the count and the page (without the due-time test) and their
    /// parameters. The priority is matched on `priority_rank` so the index covers it.
    static func conditions(_ filter: Filter) -> (sql: String, params: [SQLValue]) {
        var sql = availableCondition
        var params: [SQLValue] = []
        if let priority = filter.priority {
            sql += " AND priority_rank = ?"
            params.append(.int(Int64(priority.rank)))
        }
        if let search = filter.search, !search.isEmpty {
            sql += " AND " + LeadSearchPattern.condition(alias: "leads")
            params += LeadSearchPattern.params(search)
        }
        return (sql, params)
    }
}
