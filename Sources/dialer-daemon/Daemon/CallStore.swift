import Shared

/// The SQL of the `calls` table, which the dialer-daemon alone writes (DESIGN §3). Statements are
/// prepared once and cached by the `Database`; every write runs in a short `BEGIN IMMEDIATE`
/// transaction (`db.transaction`). Errors are `DatabaseError`s, plus `CallStoreError` for rows the
/// store cannot read or update. Loop thread only.
final class CallStore {
    let db: Database

    static let columns = """
        id, lead_id, operator_id, twilio_call_sid, direction, mode, status, from_number, to_number, \
        duration, start_time, answer_time, end_time, transfer_time, notes, error_code, error_message, \
        end_reason, created_at, updated_at, disposition, disposition_at, callback_at
        """
    static let selectSQL = "SELECT \(columns) FROM calls"
    static let insertSQL = "INSERT INTO calls(\(columns)) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    static let updateSQL = """
        UPDATE calls SET twilio_call_sid = ?, status = ?, duration = ?, answer_time = ?, end_time = ?, \
        transfer_time = ?, notes = ?, error_code = ?, error_message = ?, end_reason = ?, updated_at = ?, \
        disposition = ?, disposition_at = ?, callback_at = ?, operator_id = ? WHERE id = ?
        """
    /// The SQL list of the statuses a live call can have (`CallStatus.isTerminal` false).
    static let liveStatusList = CallStatus.allCases.filter { !$0.isTerminal }
        .map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let liveSQL = "\(selectSQL) WHERE status IN (\(liveStatusList)) ORDER BY start_time, id"
    static let liveForLeadSQL = """
        \(selectSQL) WHERE lead_id = ? AND status IN (\(liveStatusList)) ORDER BY created_at DESC LIMIT 1
        """

    init(db: Database) { self.db = db }

    /// What `insertNew` did.
    enum InsertOutcome: Equatable {
        case inserted
        /// A call with this id exists already (a resend); nothing was written.
        case existing(CallRecord)
        /// The lead already has a live call; nothing was written.
        case leadBusy(CallRecord)
    }

    /// Inserts `call` unless its id exists or its lead has a live call, all in one write
    /// transaction, so the answer and the insert cannot be separated by another writer.
    func insertNew(_ call: CallRecord) throws -> InsertOutcome {
        try db.transaction {
            if let existing = try load(id: call.id) { return .existing(existing) }
            if let live = try liveCall(forLead: call.leadId) { return .leadBusy(live) }
            try db.run(Self.insertSQL, Self.insertValues(call))
            return .inserted
        }
    }

    /// What inserting `call` would do, read without a transaction (the dialer is the only writer of
    /// `calls`, and `CallCommitter` answers for the calls still waiting to be stored).
    func admission(of call: CallRecord) throws -> InsertOutcome {
        if let existing = try load(id: call.id) { return .existing(existing) }
        if let live = try liveCall(forLead: call.leadId) { return .leadBusy(live) }
        return .inserted
    }

    /// Stores a group commit (`CallCommitter`): the new calls, then the changed ones, in one write
    /// transaction; nothing is kept if any statement fails.
    func write(inserts: [CallRecord], updates: [CallRecord]) throws {
        guard !inserts.isEmpty || !updates.isEmpty else { return }
        try db.transaction {
            for call in inserts { try db.run(Self.insertSQL, Self.insertValues(call)) }
            for call in updates { try write(call) }
        }
    }

    /// Inserts `call` as it is (tests and tools; the daemon uses `insertNew`).
    func insert(_ call: CallRecord) throws {
        try db.transaction { try db.run(Self.insertSQL, Self.insertValues(call)) }
    }

    /// Writes every mutable column of `call` (everything but the id, lead, operator, direction,
    /// mode, numbers, start and creation times). Throws `CallStoreError.missing` when no row has
    /// the id.
    func update(_ call: CallRecord) throws {
        try db.transaction { try write(call) }
    }

    /// Updates several calls in one transaction (recovery and shutdown).
    func update(all calls: [CallRecord]) throws {
        guard !calls.isEmpty else { return }
        try db.transaction { for call in calls { try write(call) } }
    }

    private func write(_ call: CallRecord) throws {
        let changed = try db.run(Self.updateSQL, [
            SQLValue(call.twilioCallSid), .text(call.status.rawValue), SQLValue(call.duration),
            SQLValue(call.answerTime), SQLValue(call.endTime), SQLValue(call.transferTime),
            SQLValue(call.notes), SQLValue(call.errorCode), SQLValue(call.errorMessage),
            SQLValue(call.endReason), .int(call.updatedAt), SQLValue(call.disposition), SQLValue(call.dispositionAt),
            SQLValue(call.callbackAt), SQLValue(call.operatorId), .text(call.id),
        ])
        if changed == 0 { throw CallStoreError.missing(callId: call.id) }
    }

    func load(id: String) throws -> CallRecord? {
        try db.queryOne("\(Self.selectSQL) WHERE id = ?", [.text(id)]).map(Self.record)
    }

    func load(sid: String) throws -> CallRecord? {
        try db.queryOne("\(Self.selectSQL) WHERE twilio_call_sid = ?", [.text(sid)]).map(Self.record)
    }

    /// The raw row of a call (for `CallJSON.render(row:)`).
    func row(id: String) throws -> Row? {
        try db.queryOne("\(Self.selectSQL) WHERE id = ?", [.text(id)])
    }

    /// Every call whose status is not final, oldest first.
    func liveCalls() throws -> [CallRecord] {
        var calls: [CallRecord] = []
        try db.forEachRow(Self.liveSQL) { calls.append(try Self.record($0)) }
        return calls
    }

    /// The most recent live call of `leadId`, if any.
    func liveCall(forLead leadId: String) throws -> CallRecord? {
        try db.queryOne(Self.liveForLeadSQL, [.text(leadId)]).map(Self.record)
    }

    static func record(_ row: Row) throws -> CallRecord {
        guard let call = CallRecord(row: row) else {
            throw CallStoreError.unreadable(callId: row.optionalString("id") ?? "?")
        }
        return call
    }

    static func insertValues(_ c: CallRecord) -> [SQLValue] {
        [.text(c.id), .text(c.leadId), SQLValue(c.operatorId), SQLValue(c.twilioCallSid), .text(c.direction),
         .text(c.mode.rawValue), .text(c.status.rawValue), .text(c.from), .text(c.to), SQLValue(c.duration),
         .int(c.startTime), SQLValue(c.answerTime), SQLValue(c.endTime), SQLValue(c.transferTime),
         SQLValue(c.notes), SQLValue(c.errorCode), SQLValue(c.errorMessage), SQLValue(c.endReason),
         .int(c.createdAt), .int(c.updatedAt), SQLValue(c.disposition), SQLValue(c.dispositionAt),
         SQLValue(c.callbackAt)]
    }
}

/// A `calls` row the store cannot use.
enum CallStoreError: Error, Equatable, CustomStringConvertible {
    /// The row has an unknown status or mode, or lacks its id or lead id.
    case unreadable(callId: String)
    /// An update found no row with this id.
    case missing(callId: String)

    var description: String {
        switch self {
        case .unreadable(let id): return "call \(id) has an unreadable row (unknown status or mode)"
        case .missing(let id): return "call \(id) has no row to update"
        }
    }
}
