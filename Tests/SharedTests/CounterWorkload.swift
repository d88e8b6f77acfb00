@testable import Shared

extension SeededRandom {
    mutating func next(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[next(in: 0...(items.count - 1))] }
}

/// A seeded random mix of the writes the queue-daemon makes to `leads` (creates, imports of
/// several rows with duplicates, claims, status moves, retries, priority and zone edits, soft
/// deletes and restores) and the dialer-daemon makes to `calls` (new calls, status moves with
/// answers and durations, dispositions, operator changes), each owner on its own connection and
/// in its own transactions, over a few UTC days. For the counter tests (issue 16).
final class CounterWorkload {
    static let day: Int64 = 86_400_000
    let queue: Database
    let dialer: Database
    var rng: SeededRandom
    var now: Int64 = 1_705_000_000_000
    private var leadSerial = 0
    private var callSerial = 0
    private let seedTag: String
    /// Off before `lead_counts` exists (a database from before the counters).
    var countInserts = true

    init(queue: Database, dialer: Database, seed: UInt64) {
        self.queue = queue
        self.dialer = dialer
        rng = SeededRandom(seed: seed)
        seedTag = "\(seed)0"
    }

    let statuses = LeadStatus.allCases.map(\.rawValue)
    let callStatuses = CallStatus.allCases.map(\.rawValue)
    let operators: [SQLValue] = [.null, .text("op1"), .text("op2"), .text("op3")]
    let zones: [SQLValue] = [.null, .text("unknown"), .text("number"), .text("country")]

    func run(rounds: Int) throws {
        for _ in 0..<rounds {
            try queue.transaction { for _ in 0..<40 { try leadStep() } }
            try dialer.transaction { for _ in 0..<40 { try callStep() } }
            now += Self.day / 3
        }
    }

    private func randomLead() throws -> SQLValue {
        .text(try queue.queryOne("SELECT id FROM leads ORDER BY random() LIMIT 1")?.string(at: 0) ?? "none")
    }

    private func newLead() -> [SQLValue] {
        leadSerial += 1
        let priority = rng.pick(LeadPriority.allCases)
        return [.text("lead\(seedTag)-\(leadSerial)"), .text("+9989\(seedTag)\(leadSerial)"), .text(priority.rawValue),
                .int(Int64(priority.rank)), rng.pick(zones), .int(now)]
    }


    /// Inserts as the queue-daemon's writers do: the new rows counted at once (`countInserted`).
    private func insertLeads(_ sql: String, _ values: [SQLValue]) throws {
        let last = try queue.queryOne("SELECT coalesce(max(rowid), 0) FROM leads")?.int(at: 0) ?? 0
        try queue.run(sql, values)
        if countInserts { try LeadCounts.countInserted(queue, where: "rowid > ?", [.int(last)]) }
    }

    private func leadStep() throws {
        let columns = "INSERT OR IGNORE INTO leads(id, phone, priority, priority_rank, timezone_source, created_at, updated_at)"
        switch rng.next(in: 0...9) {
        case 0:
            let lead = newLead()
            try insertLeads("\(columns) VALUES(?, ?, ?, ?, ?, ?, ?)", lead + [.int(now)])
        case 1:  // an import chunk: several rows, one a duplicate phone
            var values: [SQLValue] = []
            let rows = rng.next(in: 2...6)
            for _ in 0..<rows { values += newLead() + [.int(now)] }
            values += [.text("dup\(leadSerial)")] + Array(values[1...5]) + [.int(now)]
            try insertLeads(columns + " VALUES" + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows + 1)
                .joined(separator: ", "), values)
        case 2, 3:
            try queue.run("UPDATE leads SET status = ?, updated_at = ? WHERE id = ?",
                          [.text(rng.pick(statuses)), .int(now), try randomLead()])
        case 4:  // a retry: back to pending with an attempt counted
            try queue.run("UPDATE leads SET status = 'pending', call_attempts = call_attempts + 1 WHERE id = ?",
                          [try randomLead()])
        case 5:
            let priority = rng.pick(LeadPriority.allCases)
            try queue.run("UPDATE leads SET priority = ?, priority_rank = ?, timezone_source = ? WHERE id = ?",
                          [.text(priority.rawValue), .int(Int64(priority.rank)), rng.pick(zones), try randomLead()])
        case 6:
            try queue.run("UPDATE leads SET is_active = 1 - is_active WHERE id = ?", [try randomLead()])
        case 7:
            try queue.run("UPDATE leads SET notes = 'n', hold_reason = 'daily_cap' WHERE id = ?", [try randomLead()])
        case 8:
            try queue.run("UPDATE leads SET status = 'claimed' WHERE status = 'pending' AND rowid % 7 = ?",
                          [.int(Int64(rng.next(in: 0...6)))])
        default:
            try queue.run("DELETE FROM leads WHERE id = ?", [try randomLead()])
        }
    }

    private func randomCall() throws -> SQLValue {
        .text(try dialer.queryOne("SELECT id FROM calls ORDER BY random() LIMIT 1")?.string(at: 0) ?? "none")
    }

    private func callStep() throws {
        let at = now - Int64(rng.next(in: 0...3)) * Self.day / 2
        switch rng.next(in: 0...7) {
        case 0, 1:
            callSerial += 1
            try dialer.run("""
                INSERT INTO calls(id, lead_id, operator_id, mode, status, from_number, to_number, start_time,
                                  created_at, updated_at) VALUES(?, 'l', ?, ?, 'initiated', '+1', '+2', ?, ?, ?)
                """, [.text("call\(seedTag)-\(callSerial)"), rng.pick(operators), .text(rng.pick(["automatic", "manual"])),
                      .int(at), .int(at), .int(at)])
        case 2, 3:
            let answered = rng.next(in: 0...1) == 1
            try dialer.run("""
                UPDATE calls SET status = ?, answer_time = ?, duration = ?, updated_at = ? WHERE id = ?
                """, [.text(rng.pick(callStatuses)), answered ? .int(at + Int64(rng.next(in: 0...2)) * Self.day / 2) : .null,
                      .int(Int64(rng.next(in: 0...300))), .int(now), try randomCall()])
        case 4:
            try dialer.run("UPDATE calls SET disposition = ?, disposition_at = ? WHERE id = ?",
                           [rng.pick([.null, .text("sale"), .text("interested"), .text("voicemail")]), .int(now),
                            try randomCall()])
        case 5:
            try dialer.run("UPDATE calls SET operator_id = ? WHERE id = ?", [rng.pick(operators), try randomCall()])
        case 6:
            try dialer.run("UPDATE calls SET notes = 'x' WHERE id = ?", [try randomCall()])
        default:
            try dialer.run("DELETE FROM calls WHERE id = ?", [try randomCall()])
        }
    }
}
