import Shared

/// Reads of individual calls straight from SQL (DESIGN §3: GETs never go through IPC): a page
/// of calls newest first with its total, the newest few matching a filter, and one call by id.
/// Ordering is `created_at DESC` only, so the `(…, created_at)` indexes deliver rows in order
/// and `LIMIT` stops early; the total is a `count(*)` over the same filter without the joins.
public struct CallListQuery {
    public let db: Database

    public init(db: Database) { self.db = db }

    /// One page of calls and the number of calls matching `filter`.
    public func page(_ filter: CallFilter, _ pagination: Pagination,
                     population: CallPopulation) throws -> (calls: [JSON], total: Int) {
        try CallTables.orEmpty(([], 0)) {
            let (clause, params) = filter.whereClause()
            let total = try db.queryOne("SELECT count(*) FROM calls c" + clause, params)?.int(at: 0) ?? 0
            guard total > pagination.offset else { return ([], Int(total)) }
            let sql = CallPopulation.selectFrom + clause + " ORDER BY c.created_at DESC LIMIT ? OFFSET ?"
            let calls = try population.renderAll(db, sql, params + pagination.sqlParams)
            return (calls, Int(total))
        }
    }

    /// The `limit` newest calls matching `filter`.
    public func newest(_ filter: CallFilter, limit: Int, population: CallPopulation) throws -> [JSON] {
        try CallTables.orEmpty([]) {
            let (clause, params) = filter.whereClause()
            let sql = CallPopulation.selectFrom + clause + " ORDER BY c.created_at DESC LIMIT ?"
            return try population.renderAll(db, sql, params + [.int(Int64(limit))])
        }
    }

    /// One call with the detail population, and its operator id (for the ownership check);
    /// nil when there is no such call.
    public func call(id: String) throws -> (call: JSONObject, operatorId: String?)? {
        try CallTables.orEmpty(nil) {
            guard let row = try db.queryOne(CallPopulation.selectFrom + " WHERE c.id = ?", [.text(id)]) else { return nil }
            return (CallPopulation.detail.render(row), row.optionalString("operator_id"))
        }
    }

    /// `{"calls": [...], "pagination": {...}}`.
    public static func pageJSON(_ calls: [JSON], total: Int, _ pagination: Pagination) -> JSON {
        .object(["calls": .array(calls), "pagination": pagination.json(total: total)])
    }
}
