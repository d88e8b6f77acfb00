import Shared

/// Runs `GET /api/leads` (route #8) straight from SQL (DESIGN §3: reads never go over IPC):
/// `{"leads":[…],"pagination":{page,limit,total,pages}}`, each lead in the `LeadJSON` shape with
/// `assignedTo` populated as `{_id,id,name,email}` when the user exists. The `total` of each
/// filter is cached per `PRAGMA data_version` (`LeadRefreshingCache`: an expensive count is
/// refreshed off the loop while the previous one is served), so paging through a large table does
/// not count it again on every request. The page itself is cached too (issue 16): per
/// `PRAGMA data_version` (the daemons' commits) and per this connection's own change count (the
/// gateway's writes to `users`, whose names and e-mails fill `assignedTo`), and dropped when a
/// stale total is replaced; the route adds each lead's `dialability` per request (issue 17).
/// Loop thread only (one connection).
final class LeadListQuery {
    private let db: Database
    let counts: LeadRefreshingCache<Int64>
    private let pages: LeadQueryCache<JSONObject>
    private let dataVersion: LeadDataVersion
    /// `Database.totalChanges` when `pages` was last checked: this connection's own writes.
    private var ownChanges: Int64 = -1
    /// Moves whenever a cached page may be out of date (`stamp()`); the data version it last saw.
    private var generation: Int64 = 0
    private var generationVersion: Int64?

    init(db: Database, worker: LeadReadWorker?) {
        self.db = db
        dataVersion = LeadDataVersion(db: db)
        counts = LeadRefreshingCache(db: db, worker: worker)
        let pages = LeadQueryCache<JSONObject>()
        self.pages = pages
        counts.onRefresh = { [weak self] in
            pages.removeAll()
            self?.generation += 1
        }
    }

    /// A number that moves whenever an answer built from this query may be out of date: any
    /// daemon's commit (`PRAGMA data_version`), this connection's own writes, a refreshed total.
    /// Read it before the page: an answer kept under it is served only while it has not moved
    /// (`LeadListResponseCache`).
    func stamp() throws -> Int64 {
        let version = try dataVersion.current
        dropPagesAfterOwnWrites()
        if version != generationVersion {
            generationVersion = version
            generation += 1
        }
        return generation
    }

    private func dropPagesAfterOwnWrites() {
        let changes = db.totalChanges
        if changes != ownChanges {
            pages.removeAll()
            ownChanges = changes
            generation += 1
        }
    }

    /// Answers served from the page cache (tests, diagnostics).
    var pageCacheHits: Int { pages.hits }

    /// `{"leads":[…],"pagination":{…}}` (`run`), from the cache when nothing was committed since
    /// it was read.
    func page(_ filter: LeadListFilter) throws -> JSONObject {
        let version = try dataVersion.current
        dropPagesAfterOwnWrites()
        let key = filter.pageKey
        if let cached = pages.lookup(key, version: version, now: 0) { return cached }
        let page = try run(filter)
        pages.store(key, version: version, value: page)
        return page
    }

    /// The `leads` columns of `LeadJSON.columns`, qualified with the alias `l` (for joins).
    static let qualifiedColumns = LeadColumns.qualified(LeadJSON.columns, alias: "l")

    /// How often `total` came from the cache (tests, diagnostics).
    var countCacheHits: Int { counts.hits }

    func run(_ filter: LeadListFilter) throws -> JSONObject {
        let (whereSQL, params) = filter.whereClause()
        let version = try db.dataVersion
        let (total, _) = try counts.value(filter.countKey, version: version, now: 0) { db, _ in
            let row = try db.queryOne("SELECT count(*) FROM leads l \(whereSQL)", params)
            return (row?.int(at: 0) ?? 0, .max)
        }
        var leads: [JSON] = []
        if total > Int64(filter.offset) {
            let sql = """
                SELECT \(Self.qualifiedColumns), u.id AS user_id, u.name AS user_name, u.email AS user_email
                FROM leads l LEFT JOIN users u ON u.id = l.assigned_to
                \(whereSQL) \(filter.orderClause) LIMIT ? OFFSET ?
                """
            leads.reserveCapacity(filter.limit)
            try db.forEachRow(sql, params + [.int(Int64(filter.limit)), .int(Int64(filter.offset))]) { row in
                var lead = LeadJSON.render(row: row)
                if let user = LeadColumns.populatedUser(row, fields: [("email", "user_email")]) {
                    lead["assignedTo"] = .object(user)
                }
                leads.append(.object(lead))
            }
        }
        return JSONObject([
            ("leads", .array(leads)),
            ("pagination", Pagination(page: filter.page, limit: filter.limit).json(total: Int(total))),
        ])
    }
}

/// Column-list and rendering helpers shared by the lead queries.
enum LeadColumns {
    /// `"a, b"` → `"l.a, l.b"`.
    static func qualified(_ columns: String, alias: String) -> String {
        columns.split(separator: ",").map { alias + "." + String($0.filter { $0 != " " && $0 != "\n" }) }
            .joined(separator: ", ")
    }

    /// `{_id,id,name,…}` of the joined user (`user_id`, `user_name` and `fields` as
    /// (JSON key, column)), or nil when the join found nobody.
    static func populatedUser(_ row: Row, fields: [(String, String)]) -> JSONObject? {
        guard let id = row.optionalString("user_id") else { return nil }
        var user = JSONObject([("_id", .string(id)), ("id", .string(id)), ("name", .string(row.string("user_name")))])
        for (key, column) in fields { user[key] = .string(row.string(column)) }
        return user
    }
}
