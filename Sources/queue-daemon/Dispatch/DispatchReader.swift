/// The dispatcher's SQL reads on the queue-daemon's connection: dispatchable leads for the
/// scheduler, operator-role users (`users` is the gateway's table, read-only here), live calls and
/// each operator's last busy time from `calls` (the dialer's table), a lead's latest call, and the
/// leads recovery must look at. A table another daemon has not created yet (fresh database, that
/// daemon not started) reads as empty instead of failing the queue's start-up.

import Shared

struct OperatorRow: Equatable {
    let id: OperatorID
    let role: String
    let isActive: Bool
    let isAvailable: Bool
    let phone: String

    var isOperator: Bool { UserRole(input: role) == .operator_ }
}

struct CallRow: Equatable {
    let callId: CallID
    let leadId: LeadID
    let operatorId: OperatorID?
    let status: CallStatus
    let mode: CallMode
    let startTime: Int64
    /// The call was answered at some point (`answer_time` set).
    var wasAnswered = false
}

final class DispatchReader {
    static let liveStatuses = "('initiated', 'ringing', 'answered')"
    private static let callColumns = "id, lead_id, operator_id, status, mode, start_time, answer_time IS NOT NULL"
    private static let userColumns = "id, role, is_active, is_available, phone"

    let db: Database
    private var knownTables: Set<String> = []

    init(db: Database) {
        self.db = db
    }

    /// Whether `name` exists (remembered once seen: tables are never dropped).
    func tableExists(_ name: String) throws -> Bool {
        if knownTables.contains(name) { return true }
        let row = try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)])
        if row != nil { knownTables.insert(name) }
        return row != nil
    }

    /// Pending, active, unassigned leads not on the do-not-call list and not reserved for a
    /// call-back (the scheduler's contents).
    func dispatchableEntries() throws -> [SchedulerEntry] {
        var entries: [SchedulerEntry] = []
        var zoneTexts: [String: String] = [:]  // one string per distinct zone set, shared by its leads
        try db.forEachRow("""
            SELECT id, priority, created_at, next_call_time, timezone, hold_reason FROM leads
            WHERE status = 'pending' AND is_active = 1 AND assigned_to IS NULL AND do_not_call = 0
              AND callback_operator IS NULL
            """) { row in
            let priority = LeadPriority(rawValue: row.string(at: 1)) ?? .medium
            var zones = row.string(at: 4)
            if let shared = zoneTexts[zones] { zones = shared } else { zoneTexts[zones] = zones }
            entries.append(SchedulerEntry(id: row.string(at: 0), priority: priority, createdAt: row.int(at: 2),
                                          nextCallTime: row.optionalInt(at: 3), zones: zones,
                                          hold: row.optionalString(at: 5) == CallableReason.dailyCap.rawValue ? .cap : .own))
        }
        return entries
    }

    /// Every operator-role user.
    func operators() throws -> [OperatorRow] {
        guard try tableExists("users") else { return [] }
        var rows: [OperatorRow] = []
        try db.forEachRow("SELECT \(Self.userColumns) FROM users WHERE role IN ('operator', 'salesperson')") {
            rows.append(Self.user($0))
        }
        return rows
    }

    /// One user of any role; nil when unknown (or `users` does not exist yet).
    func user(id: String) throws -> OperatorRow? {
        guard try tableExists("users") else { return nil }
        return try db.queryOne("SELECT \(Self.userColumns) FROM users WHERE id = ?", [.text(id)]).map(Self.user)
    }

    /// The non-terminal calls, oldest first.
    func liveCalls() throws -> [CallRow] {
        guard try tableExists("calls") else { return [] }
        var rows: [CallRow] = []
        try db.forEachRow("""
            SELECT \(Self.callColumns) FROM calls WHERE status IN \(Self.liveStatuses) ORDER BY start_time, id
            """) { if let call = Self.call($0) { rows.append(call) } }
        return rows
    }

    /// When each operator's last call ended (or started, for a call without an end), ms.
    func lastBusyTimes() throws -> [OperatorID: Int64] {
        guard try tableExists("calls") else { return [:] }
        var times: [OperatorID: Int64] = [:]
        try db.forEachRow("""
            SELECT operator_id, MAX(COALESCE(end_time, start_time)) FROM calls
            WHERE operator_id IS NOT NULL GROUP BY operator_id
            """) { times[$0.string(at: 0)] = $0.int(at: 1) }
        return times
    }

    /// The lead's newest call (by `created_at`, then id); nil when it has none.
    func latestCall(leadId: LeadID) throws -> CallRow? {
        guard try tableExists("calls") else { return nil }
        return try db.queryOne("""
            SELECT \(Self.callColumns) FROM calls WHERE lead_id = ? ORDER BY created_at DESC, id DESC LIMIT 1
            """, [.text(leadId)]).flatMap(Self.call)
    }

    /// One call by id; nil when unknown.
    func call(id: CallID) throws -> CallRow? {
        guard try tableExists("calls") else { return nil }
        return try db.queryOne("SELECT \(Self.callColumns) FROM calls WHERE id = ?", [.text(id)]).flatMap(Self.call)
    }

    /// A call as the disposition rules need it (issue 12); nil when unknown.
    func dispositionCall(id: CallID) throws -> (leadId: LeadID, facts: DispositionCall)? {
        guard try tableExists("calls") else { return nil }
        guard let row = try db.queryOne("SELECT lead_id, operator_id, status, end_time FROM calls WHERE id = ?",
                                        [.text(id)]),
              let status = CallStatus(rawValue: row.string(at: 2)) else { return nil }
        return (row.string(at: 0), DispositionCall(operatorId: row.optionalString(at: 1), status: status,
                                                   endTime: row.optionalInt(at: 3)))
    }

    /// Leads with a call in progress according to their status (`calling`, `answered`), less the
    /// `answered` leads resting after their operator's own call ended (a completed manual call
    /// started at or after the lead's last attempt).
    func leadsInCall() throws -> [LeadRecord] {
        var leads: [LeadRecord] = []
        let resting = try tableExists("calls") ? """
             AND NOT (status = 'answered' AND EXISTS (SELECT 1 FROM calls c WHERE c.lead_id = leads.id
                      AND c.mode = 'manual' AND c.status = 'completed'
                      AND c.created_at >= coalesce(leads.last_call_attempt, 0)))
            """ : ""
        try db.forEachRow("SELECT \(LeadJSON.columns) FROM leads WHERE status IN ('calling', 'answered')\(resting) ORDER BY id") {
            leads.append(LeadRecord(row: $0))
        }
        return leads
    }

    /// Leads handed to an operator (`transferred`) whose newest call the dialer ended `failed` after
    /// the answer because it died during it (found at its restart, so never reported live), among
    /// calls created since `since` (ms): (lead id, call id).
    func transferredLeadsWithCutCalls(since: Int64) throws -> [(leadId: LeadID, callId: CallID)] {
        guard try tableExists("calls") else { return [] }
        var found: [(LeadID, CallID)] = []
        try db.forEachRow("""
            SELECT c.lead_id, c.id FROM calls c JOIN leads l ON l.id = c.lead_id
            WHERE c.status = 'failed' AND c.created_at >= ? AND c.answer_time IS NOT NULL
              AND c.end_reason IN ('restart', 'shutdown') AND l.status = 'transferred'
              AND c.id = (SELECT id FROM calls WHERE lead_id = c.lead_id ORDER BY created_at DESC, id DESC LIMIT 1)
            """, [.int(since)]) { found.append(($0.string(at: 0), $0.string(at: 1))) }
        return found
    }

    private static func user(_ row: Row) -> OperatorRow {
        OperatorRow(id: row.string(at: 0), role: row.string(at: 1), isActive: row.int(at: 2) != 0,
                    isAvailable: row.int(at: 3) != 0, phone: row.string(at: 4))
    }

    /// nil for a row whose status is not in the vocabulary (only a hand-edited database).
    private static func call(_ row: Row) -> CallRow? {
        guard let status = CallStatus(rawValue: row.string(at: 3)) else { return nil }
        return CallRow(callId: row.string(at: 0), leadId: row.string(at: 1), operatorId: row.optionalString(at: 2),
                       status: status, mode: CallMode(rawValue: row.string(at: 4)) ?? .automatic,
                       startTime: row.int(at: 5), wasAnswered: row.int(at: 6) != 0)
    }
}
