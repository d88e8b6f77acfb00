/// Commits a staged CSV import: every row in ONE transaction on its own connection, on a worker
/// thread, so a 150,000-row import does not stall the loop. Each row is `INSERT … ON
/// CONFLICT(phone) DO NOTHING`; a row that inserts nothing duplicates an existing lead
/// (soft-deleted ones included) or an earlier line of the same file. Inserted leads get `source =
/// 'csv_upload'`, an `ObjectID`, and a `lead_events` row (reason `csv_import`), written by one
/// `INSERT … SELECT` over the rowids this transaction added (it holds the write lock, so they are
/// exactly the imported rows; the count is checked). Any failure rolls the whole import back.
///
/// Speed: rows are inserted in phone order (stable, so the first line of a repeated phone wins)
/// with ids generated in that order, so the phone and id indexes grow at their ends instead of at
/// random pages; the connection has a large page cache; the WAL checkpoint runs after the result
/// has been handed over. Imported leads share one `created_at`, so their relative order was never
/// defined by time.

import Shared

/// What a committed import did.
struct ImportOutcome {
    var successCount = 0
    var duplicateCount = 0
    /// CSV lines of the duplicates, ascending (the reply reports at most
    /// `LeadImportWriter.maxDuplicateLinesReported`).
    var duplicateLines: [Int] = []
    /// The inserted leads, for dispatch.
    var inserted: [LeadSnapshot] = []
}

enum LeadImportWriter {
    /// Duplicate line numbers listed in a reply (keeps the reply well under the 1 MiB frame).
    static let maxDuplicateLinesReported = 10_000
    static let eventReason = "csv_import"
    /// Page cache of the import connection, in KiB (SQLite's negative `cache_size`): enough for
    /// the index pages a 150,000-row import touches, allocated only as used.
    static let cacheKiB = 262_144

    private static let insertLead = """
        INSERT INTO leads(id, phone, name, email, status, priority, priority_rank, notes, tags, source,
                          is_active, created_at, updated_at)
        VALUES(?, ?, ?, ?, 'pending', ?, ?, ?, ?, 'csv_upload', 1, ?, ?) ON CONFLICT(phone) DO NOTHING
        """
    private static let insertEvents = """
        INSERT INTO lead_events(lead_id, at, actor, from_status, to_status, reason)
        SELECT id, ?, ?, NULL, 'pending', ? FROM leads WHERE rowid > ? ORDER BY rowid
        """

    /// Opens `dbPath` as the queue owner, inserts `rows`, hands the result to `delivered`, then
    /// checkpoints the WAL and closes. Blocking: call it on a worker thread.
    static func commit(rows: [StagedLead], dbPath: String, actorId: String, now: Int64,
                       delivered: (Result<ImportOutcome, Error>) -> Void) {
        let db: Database
        do {
            db = try Database(path: dbPath, owner: .queue)
            try db.execute("PRAGMA cache_size = -\(cacheKiB); PRAGMA wal_autocheckpoint = 0")
        } catch {
            return delivered(.failure(error))
        }
        defer { db.close() }
        do {
            delivered(.success(try commit(rows: rows, into: db, actorId: actorId, now: now)))
        } catch {
            return delivered(.failure(error))
        }
        _ = try? db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// Inserts `rows` into `db` in one transaction.
    static func commit(rows: [StagedLead], into db: Database, actorId: String, now: Int64) throws -> ImportOutcome {
        var outcome = ImportOutcome()
        outcome.inserted.reserveCapacity(rows.count)
        try db.transaction {
            let lastRowID = try lastLeadRowID(db)
            try insert(rows, into: db, now: now, outcome: &outcome)
            try writeEvents(db, outcome: outcome, afterRowID: lastRowID, actorId: actorId, now: now)
        }
        outcome.duplicateLines.sort()
        return outcome
    }

    /// The highest `leads` rowid (read inside the import's transaction, before its first insert).
    static func lastLeadRowID(_ db: Database) throws -> Int64 {
        try db.queryOne("SELECT COALESCE(MAX(rowid), 0) FROM leads")?.int(at: 0) ?? 0
    }

    /// Inserts `rows` (one chunk, or a whole import) inside the caller's transaction, in phone
    /// order (stable: the first line of a repeated phone wins), adding to `outcome`.
    static func insert(_ rows: [StagedLead], into db: Database, now: Int64, outcome: inout ImportOutcome) throws {
        var ordered = rows.enumerated().map { (offset: $0.offset, row: $0.element) }
        ordered.sort { $0.row.lead.phone != $1.row.lead.phone ? $0.row.lead.phone < $1.row.lead.phone : $0.offset < $1.offset }
        let leadStatement = try db.prepare(insertLead)
        let at = SQLValue.int(now)
        for (_, row) in ordered {
            let lead = row.lead
            let id = ObjectID.generate(nowMillis: now)
            try leadStatement.bind([.text(id), .text(lead.phone), .text(lead.name), .text(lead.email),
                                    .text(lead.priority.rawValue), .int(Int64(lead.priority.rank)),
                                    .text(lead.notes), .text(row.tagsColumn), at, at])
            while try leadStatement.step() {}
            leadStatement.reset()
            guard db.changes == 1 else {
                outcome.duplicateCount += 1
                outcome.duplicateLines.append(row.line)
                continue
            }
            outcome.successCount += 1
            outcome.inserted.append(LeadSnapshot(id: id, priority: lead.priority, createdAt: now))
        }
    }

    /// Writes one `lead_events` row per lead inserted after `afterRowID` (inside the transaction)
    /// and checks that their number matches `outcome.successCount`.
    static func writeEvents(_ db: Database, outcome: ImportOutcome, afterRowID: Int64, actorId: String,
                            now: Int64) throws {
        guard outcome.successCount > 0 else { return }
        let events = try db.run(insertEvents, [.int(now), .text(actorId), .text(eventReason), .int(afterRowID)])
        guard events == outcome.successCount else {
            throw DatabaseError(code: DatabaseError.error, message: "import wrote \(outcome.successCount) leads "
                                + "but \(events) lead_events rows", sql: insertEvents)
        }
    }
}
