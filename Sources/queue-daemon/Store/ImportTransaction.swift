/// The open write transaction of one CSV import whose rows are inserted while its chunks still
/// arrive: its own connection (as the queue owner) and a serial queue of work on which, in order,
/// the connection is opened and `BEGIN IMMEDIATE` taken, each chunk is inserted
/// with its `lead_events` rows (`LeadImportWriter.insert`), and finally the transaction COMMITs, or
/// the whole import is rolled back. The first failure is kept: later chunks are skipped
/// and the commit reports it (after rolling back). Created and driven from the loop thread; the
/// blocking work runs on the serial queue, never on the loop. While it is open the caller holds
/// the queue-daemon's `WriteGate`, so the main connection never waits on its lock.

import Dispatch
import Shared

/// `@unchecked Sendable`: after `init` its mutable state is touched only on the serial queue `work`.
final class ImportTransaction: @unchecked Sendable {
    private let work: DispatchQueue
    private let dbPath: String
    private let now: Int64
    private let actorId: String
    // Touched only on `work`.
    private var db: Database?
    private var lastRowID: Int64 = 0
    /// Zones resolved per phone prefix for this import (used on the serial queue only).
    private var zones: TimeZoneMemo
    private var outcome = ImportOutcome()
    private var failure: Error?
    private var isFinished = false

    /// Opens the connection and begins the transaction (asynchronously, on the serial queue).
    init(dbPath: String, now: Int64, actorId: String, label: String, zones: TimeZoneResolver) {
        self.zones = TimeZoneMemo(resolver: zones)
        self.dbPath = dbPath
        self.now = now
        self.actorId = actorId
        work = DispatchQueue(label: "ibrat.import.\(label)")
        work.async { self.begin() }
    }

    /// Queues `rows` (one chunk, in arrival order) for insertion.
    func insert(_ rows: [StagedLead]) {
        work.async {
            guard let db = self.db, self.failure == nil, !self.isFinished else { return }
            do {
                try LeadImportWriter.insert(rows, into: db, actorId: self.actorId, now: self.now, zones: &self.zones,
                                            afterRowID: &self.lastRowID, outcome: &self.outcome)
            } catch {
                self.failure = error
            }
        }
    }

    /// COMMITs after every queued chunk; `delivered` runs on the serial queue with the outcome (or
    /// the first failure, the import rolled back), then the WAL is checkpointed and the connection
    /// closed.
    func commit(delivered: @escaping @Sendable (Result<ImportOutcome, Error>) -> Void) {
        work.async {
            guard let db = self.db, !self.isFinished else {
                self.isFinished = true
                return delivered(.failure(self.failure ?? Self.closed))
            }
            self.isFinished = true
            do {
                if let failure = self.failure { throw failure }
                try db.execute("COMMIT")
            } catch {
                _ = try? db.execute("ROLLBACK")
                db.close()
                self.db = nil
                return delivered(.failure(error))
            }
            var outcome = self.outcome
            self.outcome = ImportOutcome()
            outcome.duplicateLines.sort()
            delivered(.success(outcome))
            _ = try? db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            db.close()
            self.db = nil
        }
    }

    /// Rolls everything back and closes the connection; `done` runs on the serial queue afterwards.
    func rollback(done: @escaping @Sendable () -> Void) {
        work.async {
            self.isFinished = true
            if let db = self.db {
                _ = try? db.execute("ROLLBACK")
                db.close()
                self.db = nil
            }
            done()
        }
    }

    private static let closed = DatabaseError(code: DatabaseError.error, message: "the import transaction is closed",
                                              sql: nil)

    private func begin() {
        do {
            let db = try LeadImportWriter.open(dbPath)
            self.db = db
            try db.execute("BEGIN IMMEDIATE")
            lastRowID = try LeadImportWriter.lastLeadRowID(db)
        } catch {
            failure = error
            // A failed BEGIN leaves no transaction; a later failure rolls it back at the commit.
            if let db = self.db { _ = try? db.execute("ROLLBACK") }
        }
    }
}
