/// One CSV import being staged in memory between `queue.import_begin` and `queue.import_commit`:
/// who started it, on which IPC connection, and the validated rows received so far. Nothing is
/// written to the database until the commit, so a killed import leaves no rows.

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
    var idleTimer: TimerSource?

    init(id: String, actorId: String, connection: Int, startedAt: Int64) {
        self.id = id
        self.actorId = actorId
        self.connection = connection
        self.startedAt = startedAt
    }

    var rowCount: Int { rows.count }

    func append(_ chunk: [StagedLead]) {
        if rows.isEmpty { rows.reserveCapacity(chunk.count) }
        rows.append(contentsOf: chunk)
    }

    /// Hands the rows over (for the commit) and empties the session.
    func takeRows() -> [StagedLead] {
        defer { rows = [] }
        return rows
    }
}
