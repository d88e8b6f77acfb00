/// One CSV import between `queue.import_begin` and `queue.import_commit`: who started it, on which
/// IPC connection, how many rows it received, and either its open `ImportTransaction` (rows are
/// inserted as chunks arrive, uncommitted) or, when another import held the write gate at its
/// first chunk, the validated rows staged in memory for the commit. Either way nothing is visible
/// before the commit, and a killed import leaves no rows.

import Shared

/// A validated import row and the CSV line it came from (reported back for duplicates). The
/// `tags` column text is rendered while staging so the commit does no JSON work.
struct StagedLead {
    let line: Int
    let lead: NewLead
    let tagsColumn: String

    init(line: Int, lead: NewLead) {
        self.line = line
        self.lead = lead
        tagsColumn = LeadJSON.tagsColumn(lead.tags)
    }
}

final class ImportSession {
    let id: String
    let actorId: String
    /// The IPC connection that began it; only that connection may add to or commit it.
    let connection: Int
    let startedAt: Int64
    private(set) var rows: [StagedLead] = []
    private(set) var rowCount = 0
    var idleTimer: TimerSource?
    /// The import's open transaction (rows already inserted), when it got the write gate.
    var transaction: ImportTransaction?
    /// Ends the transaction after `ImportStaging.maxTransactionSeconds`.
    var transactionTimer: TimerSource?

    init(id: String, actorId: String, connection: Int, startedAt: Int64) {
        self.id = id
        self.actorId = actorId
        self.connection = connection
        self.startedAt = startedAt
    }

    /// Adds a validated chunk: to the open transaction, else to the rows staged in memory.
    func append(_ chunk: [StagedLead]) {
        rowCount += chunk.count
        if let transaction { return transaction.insert(chunk) }
        if rows.isEmpty { rows.reserveCapacity(chunk.count) }
        rows.append(contentsOf: chunk)
    }

    /// Hands the rows over (for the commit) and empties the session.
    func takeRows() -> [StagedLead] {
        defer { rows = [] }
        return rows
    }
}
