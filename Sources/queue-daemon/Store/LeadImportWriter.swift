/// Commits a staged CSV import: every row in ONE transaction on its own connection, meant to run
/// on a worker thread (`EventLoop.runOnWorker`) so a 150,000-row import does not stall the loop.
/// Each row is `INSERT … ON CONFLICT(phone) DO NOTHING`; a row that inserts nothing duplicates an
/// existing lead (soft-deleted ones included) or an earlier row of the same file. Inserted leads
/// get `source = 'csv_upload'`, an `ObjectID`, and a `lead_events` row (reason `csv_import`).
/// Any failure rolls the whole import back.

import Shared

/// What a committed import did.
struct ImportOutcome {
    var successCount = 0
    var duplicateCount = 0
    /// CSV lines of the duplicates, in file order (the reply reports at most
    /// `LeadImportWriter.maxDuplicateLinesReported`).
    var duplicateLines: [Int] = []
    /// The inserted leads, for dispatch.
    var inserted: [LeadSnapshot] = []
}

enum LeadImportWriter {
    /// Duplicate line numbers listed in a reply (keeps the reply well under the 1 MiB frame).
    static let maxDuplicateLinesReported = 10_000
    static let eventReason = "csv_import"

    private static let insertLead = """
        INSERT INTO leads(id, phone, name, email, status, priority, priority_rank, notes, tags, source,
                          is_active, created_at, updated_at)
        VALUES(?, ?, ?, ?, 'pending', ?, ?, ?, ?, 'csv_upload', 1, ?, ?) ON CONFLICT(phone) DO NOTHING
        """
    private static let insertEvent = """
        INSERT INTO lead_events(lead_id, at, actor, from_status, to_status, reason) VALUES(?, ?, ?, NULL, 'pending', ?)
        """

    /// Opens `dbPath` as the queue owner and inserts `rows`; blocking (call it on a worker thread).
    static func commit(rows: [StagedLead], dbPath: String, actorId: String, now: Int64) -> Result<ImportOutcome, Error> {
        do {
            let db = try Database(path: dbPath, owner: .queue)
            defer { db.close() }
            return .success(try commit(rows: rows, into: db, actorId: actorId, now: now))
        } catch {
            return .failure(error)
        }
    }

    /// Inserts `rows` into `db` in one transaction.
    static func commit(rows: [StagedLead], into db: Database, actorId: String, now: Int64) throws -> ImportOutcome {
        var outcome = ImportOutcome()
        outcome.inserted.reserveCapacity(rows.count)
        try db.transaction {
            let leadStatement = try db.prepare(insertLead)
            let eventStatement = try db.prepare(insertEvent)
            let actor = SQLValue.text(actorId)
            let reason = SQLValue.text(eventReason)
            let at = SQLValue.int(now)
            for row in rows {
                let lead = row.lead
                let id = ObjectID.generate(nowMillis: now)
                try leadStatement.bind([.text(id), .text(lead.phone), .text(lead.name), .text(lead.email),
                                        .text(lead.priority.rawValue), .int(Int64(lead.priority.rank)),
                                        .text(lead.notes), .text(LeadJSON.tagsColumn(lead.tags)), at, at])
                while try leadStatement.step() {}
                leadStatement.reset()
                guard db.changes == 1 else {
                    outcome.duplicateCount += 1
                    outcome.duplicateLines.append(row.line)
                    continue
                }
                try eventStatement.bind([.text(id), at, actor, reason])
                while try eventStatement.step() {}
                eventStatement.reset()
                outcome.successCount += 1
                outcome.inserted.append(LeadSnapshot(id: id, priority: lead.priority, createdAt: now))
            }
        }
        return outcome
    }
}
