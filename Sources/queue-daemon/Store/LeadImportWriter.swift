/// Inserts CSV import rows as the queue owner, in ONE transaction: either chunk by chunk inside an
/// `ImportTransaction` while the upload still streams in, or all at once at the commit for rows
/// staged in memory (`commit`, on a worker thread, so a 150,000-row import does not stall the
/// loop). A row whose phone is already stored (soft-deleted leads included) or appeared earlier in
/// the import inserts nothing and is a duplicate. Inserted leads get `source = 'csv_upload'`, an
/// `ObjectID`, and a `lead_events` row (reason `csv_import`), written per chunk by one `INSERT …
/// SELECT` over the rowids the chunk added (the import holds the write lock, so they are exactly
/// its rows; the count is checked). Any failure rolls the whole import back.
///
/// Speed (a 10 MiB, 165,000-row file): rows go in `rowsPerStatement` at a time through one
/// multi-row `INSERT OR IGNORE … VALUES (…), (…)`, so SQLite opens the table's and indexes' cursors
/// once per batch instead of once per row. `OR IGNORE` (not `ON CONFLICT(phone) DO NOTHING`): a
/// multi-row statement that may abort half-way needs a statement journal, and that one wrote
/// 170,000 4 KiB pages to a temporary file per import; with every constraint set to ignore, no
/// statement can abort. The only constraint a fresh row can break is the phone (ids are new
/// `ObjectID`s, every NOT NULL column is bound), and the id-and-phone lookup of a short batch
/// would count an impossible id clash as a duplicate, not as inserted. Rows are inserted in phone order
/// (stable, so the first line of a repeated phone wins) with ids generated in that order, so the
/// phone and id indexes grow at their ends instead of at random pages. A batch that inserted
/// fewer rows than it carried is rare (duplicates) and its rows are then looked up by their new
/// id. Imported leads share one `created_at`, so their relative order was never defined by time.

import Shared

/// What a committed import did.
struct ImportOutcome {
    var successCount = 0
    var duplicateCount = 0
    /// Inserted leads whose number is on the do-not-call list (stored flagged, issue 12).
    var doNotCallCount = 0
    /// CSV lines of the duplicates, ascending (the reply reports at most
    /// `LeadImportWriter.maxDuplicateLinesReported`).
    var duplicateLines: [Int] = []
    /// The inserted leads, one array per insert call (a chunk), so a 165,000-lead import never
    /// copies one growing array on the import's thread; `inserted` joins them (on the loop).
    var insertedChunks: [[LeadSnapshot]] = []

    /// The inserted leads, for dispatch.
    var inserted: [LeadSnapshot] { insertedChunks.count == 1 ? insertedChunks[0] : Array(insertedChunks.joined()) }
}

enum LeadImportWriter {
    /// Duplicate line numbers listed in a reply (keeps the reply well under the 1 MiB frame).
    static let maxDuplicateLinesReported = 10_000
    static let eventReason = "csv_import"
    /// Page cache of an import connection, in KiB (SQLite's negative `cache_size`), allocated only
    /// as used: a 165,000-row import dirties ~12,700 pages (50 MiB) and none of them spills to the
    /// WAL before the COMMIT (a spilled page that changes again is written twice: a 32 MiB cache
    /// wrote 23,000 WAL frames instead of 12,700).
    static let cacheKiB = 262_144
    /// Rows per multi-row INSERT (8 bound parameters each, far below SQLite's 32,766 limit).
    static let rowsPerStatement = 50
    /// Bound parameters per row of `insertLeads`.
    static let parametersPerRow = 10

    /// The INSERT of `rows` leads created at `now` (a literal: an import connection serves one import).
    static func insertLeads(rows: Int, now: Int64) -> String {
        let tuple = "(?, ?, ?, ?, 'pending', ?, ?, ?, ?, 'csv_upload', 1, \(now), \(now), ?, ?)"
        return "INSERT OR IGNORE INTO leads(id, phone, name, email, status, priority, priority_rank, notes, tags, source, "
            + "is_active, created_at, updated_at, timezone, timezone_source) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }
    private static let insertEvents = """
        INSERT INTO lead_events(lead_id, at, actor, from_status, to_status, reason)
        SELECT id, ?, ?, NULL, 'pending', ? FROM leads WHERE rowid > ? ORDER BY rowid
        """

    /// Opens `dbPath` as the queue owner, inserts `rows`, hands the result to `delivered`, then
    /// checkpoints the WAL and closes. Blocking: call it on a worker thread.
    static func commit(rows: [StagedLead], dbPath: String, actorId: String, now: Int64, zones: TimeZoneResolver,
                       delivered: (Result<ImportOutcome, Error>) -> Void) {
        let db: Database
        do {
            db = try open(dbPath)
        } catch {
            return delivered(.failure(error))
        }
        defer { db.close() }
        do {
            delivered(.success(try commit(rows: rows, into: db, actorId: actorId, now: now, zones: zones)))
        } catch {
            return delivered(.failure(error))
        }
        _ = try? db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// A connection for an import: the queue owner, a bigger page cache, statement journals in
    /// memory (never a temporary file), no automatic checkpoint inside the COMMIT (the caller
    /// checkpoints once the result was handed over).
    static func open(_ dbPath: String) throws -> Database {
        let db = try Database(path: dbPath, owner: .queue)
        do {
            try db.execute("PRAGMA cache_size = -\(cacheKiB); PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0")
        } catch {
            db.close()
            throw error
        }
        return db
    }

    /// Inserts `rows` into `db` in one transaction.
    static func commit(rows: [StagedLead], into db: Database, actorId: String, now: Int64,
                       zones: TimeZoneResolver) throws -> ImportOutcome {
        var outcome = ImportOutcome()
        var memo = TimeZoneMemo(resolver: zones)
        try db.transaction {
            var lastRowID = try lastLeadRowID(db)
            try insert(rows, into: db, actorId: actorId, now: now, zones: &memo, afterRowID: &lastRowID, outcome: &outcome)
        }
        outcome.duplicateLines.sort()
        return outcome
    }

    /// The highest `leads` rowid (read inside the import's transaction).
    static func lastLeadRowID(_ db: Database) throws -> Int64 {
        try db.queryOne("SELECT COALESCE(MAX(rowid), 0) FROM leads")?.int(at: 0) ?? 0
    }

    /// Inserts `rows` (one chunk, or a whole import) and their `lead_events` rows inside the
    /// caller's transaction, adding to `outcome`. `afterRowID` is the highest leads rowid before
    /// this call and is moved past the rows added.
    static func insert(_ rows: [StagedLead], into db: Database, actorId: String, now: Int64, zones: inout TimeZoneMemo,
                       afterRowID: inout Int64, outcome: inout ImportOutcome) throws {
        let before = outcome.successCount
        try insertLeads(rows, into: db, now: now, zones: &zones, outcome: &outcome)
        let added = outcome.successCount - before
        guard added > 0 else { return }
        // Issue 16: the chunk's rows counted at once, before anything updates them.
        try LeadCounts.countInserted(db, where: "rowid > ?", [.int(afterRowID)])
        let events = try db.run(insertEvents, [.int(now), .text(actorId), .text(eventReason), .int(afterRowID)])
        guard events == added else {
            throw DatabaseError(code: DatabaseError.error, message: "import wrote \(added) leads "
                                + "but \(events) lead_events rows", sql: insertEvents)
        }
        try flagDoNotCall(db, afterRowID: afterRowID, outcome: &outcome)
        afterRowID = try lastLeadRowID(db)
    }

    private static let flagListed = """
        UPDATE leads SET do_not_call = 1 WHERE rowid > ? AND phone IN (SELECT phone FROM dnc)
        """

    /// Flags the rows just added (rowid above `afterRowID`) whose number is on the do-not-call
    /// list, and the chunk's snapshots with them (rare: only then are their ids looked up).
    static func flagDoNotCall(_ db: Database, afterRowID: Int64, outcome: inout ImportOutcome) throws {
        let flagged = try db.run(flagListed, [.int(afterRowID)])
        guard flagged > 0 else { return }
        outcome.doNotCallCount += flagged
        var ids = Set<LeadID>()
        try db.forEachRow("SELECT id FROM leads WHERE rowid > ? AND do_not_call = 1", [.int(afterRowID)]) {
            ids.insert($0.string(at: 0))
        }
        guard var chunk = outcome.insertedChunks.popLast() else { return }
        for index in chunk.indices where ids.contains(chunk[index].id) { chunk[index].doNotCall = true }
        outcome.insertedChunks.append(chunk)
    }

    /// Inserts the leads of `rows` in phone order (stable: the first line of a repeated phone
    /// wins), `rowsPerStatement` at a time, adding to `outcome`.
    static func insertLeads(_ rows: [StagedLead], into db: Database, now: Int64, zones: inout TimeZoneMemo,
                            outcome: inout ImportOutcome) throws {
        let keys = rows.map { phoneOrderKey($0.lead.phone) }
        let ordered = rows.indices.sorted { a, b in
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            let pa = rows[a].lead.phone, pb = rows[b].lead.phone  // only phones the key cannot order
            return pa != pb ? pa < pb : a < b
        }
        var inserted: [LeadSnapshot] = []
        inserted.reserveCapacity(rows.count)
        defer { if !inserted.isEmpty { outcome.insertedChunks.append(inserted) } }
        let allIDs = ObjectID.generate(nowMillis: now, count: ordered.count)
        let fullBatch = ordered.count >= rowsPerStatement ? try db.prepare(insertLeads(rows: rowsPerStatement, now: now)) : nil
        var start = 0
        while start < ordered.count {
            let batch = ordered[start..<min(start + rowsPerStatement, ordered.count)]
            start = batch.endIndex
            let ids = allIDs[batch.startIndex..<batch.endIndex]
            let zoneColumns = batch.map { zones.columns(phone: rows[$0].lead.phone, explicit: rows[$0].lead.timezone) }
            var textBytes = 0
            for (index, id) in zip(batch, ids) {
                let row = rows[index], lead = row.lead
                textBytes += StatementBinder.arenaBytes(id) + StatementBinder.arenaBytes(lead.phone)
                    + StatementBinder.arenaBytes(lead.name) + StatementBinder.arenaBytes(lead.email)
                    + StatementBinder.arenaBytes(lead.priority.rawValue) + StatementBinder.arenaBytes(lead.notes)
                    + StatementBinder.arenaBytes(row.tagsColumn)
            }
            for zone in zoneColumns {
                textBytes += StatementBinder.arenaBytes(zone.column ?? "") + StatementBinder.arenaBytes(zone.source)
            }
            let statement = try batch.count == rowsPerStatement ? fullBatch ?? db.prepare(insertLeads(rows: batch.count, now: now))
                                                                : db.prepare(insertLeads(rows: batch.count, now: now))
            try statement.bind(textBytes: textBytes) { binder in
                for ((index, id), zone) in zip(zip(batch, ids), zoneColumns) {
                    let row = rows[index], lead = row.lead
                    try binder.text(id)
                    try binder.text(lead.phone)
                    try binder.text(lead.name)
                    try binder.text(lead.email)
                    try binder.text(lead.priority.rawValue)
                    try binder.int(Int64(lead.priority.rank))
                    try binder.text(lead.notes)
                    try binder.text(row.tagsColumn)
                    if let column = zone.column { try binder.text(column) } else { try binder.null() }
                    try binder.text(zone.source)
                }
            }
            while try statement.step() {}
            statement.reset()
            let insertedAll = db.changes == batch.count
            for ((index, id), zone) in zip(zip(batch, ids), zoneColumns) {
                let row = rows[index]
                let added = try insertedAll || db.queryOne("SELECT 1 FROM leads WHERE id = ? AND phone = ?",
                                                           [.text(id), .text(row.lead.phone)]) != nil
                if added {
                    outcome.successCount += 1
                    inserted.append(LeadSnapshot(id: id, priority: row.lead.priority, createdAt: now,
                                                 timezones: zone.column ?? ""))
                } else {
                    outcome.duplicateCount += 1
                    outcome.duplicateLines.append(row.line)
                }
            }
        }
    }

    /// A key that sorts E.164 phones as their strings sort (byte order, as the phone index does):
    /// the digits padded with zeros to 15, times 16, plus the digit count (a prefix sorts first);
    /// 0 for anything else, which the string comparison then orders.
    static func phoneOrderKey(_ phone: String) -> UInt64 {
        guard let key = PhoneNumber.digitsKey(phone) else { return 0 }
        let count = key & 0xF
        var padded = key >> 4
        for _ in count..<UInt64(PhoneNumber.maxDigits) { padded *= 10 }
        return padded << 4 | count
    }
}
