/// The pacing figures on the dashboards (issue 14), read from SQL like every dashboard figure:
/// the mode and cap from `queue_settings`, the abandon rate (abandoned / live-answered automatic
/// calls, machines excluded) for the UTC day and the rolling 30 days from the dialer's counters, and the
/// operators per state from `operator_states`. Tables a daemon has not created yet read as empty.

import Shared

struct DashboardPacingQuery {
    static let windowDays: Int64 = 30
    static let dayMillis: Int64 = 86_400_000

    let db: Database
    let nowMillis: Int64

    /// `{mode, maxAbandonRate, abandonRateToday, abandonRate30Days, answeredToday, abandonedToday,
    /// answered30Days, abandoned30Days, operatorStates: {available, on_call, wrap_up, unavailable}}`.
    func json() throws -> JSONObject {
        var settings: [String: String] = [:]
        if try exists("queue_settings") {
            try db.forEachRow("SELECT key, value FROM queue_settings WHERE key IN ('pacing_mode', 'max_abandon_rate')") {
                settings[$0.string(at: 0)] = $0.string(at: 1)
            }
        }
        let today = Timestamp.startOfUTCDay(millis: nowMillis)
        let (answeredToday, abandonedToday) = try abandonCounts(since: today)
        let (answered30, abandoned30) = try abandonCounts(since: today - (Self.windowDays - 1) * Self.dayMillis)
        var states = JSONObject(["available", "on_call", "wrap_up", "unavailable"].map { ($0, JSON.int(0)) })
        if try exists("operator_states") {
            try db.forEachRow("""
                SELECT s.state, COUNT(*) FROM operator_states s JOIN users u ON u.id = s.user_id
                 WHERE u.role IN ('operator', 'salesperson') GROUP BY s.state
                """) { states[$0.string(at: 0)] = .int($0.int(at: 1)) }
        }
        func rate(_ abandoned: Int64, _ answered: Int64) -> JSON {
            answered == 0 ? .null : .double((Double(abandoned) / Double(answered) * 1e6).rounded() / 1e6)
        }
        return JSONObject([
            ("mode", .string(settings["pacing_mode"] ?? "progressive")),
            ("maxAbandonRate", .double(settings["max_abandon_rate"].flatMap(Double.init) ?? 0.03)),
            ("abandonRateToday", rate(abandonedToday, answeredToday)), ("abandonRate30Days", rate(abandoned30, answered30)),
            ("answeredToday", .int(answeredToday)), ("abandonedToday", .int(abandonedToday)),
            ("answered30Days", .int(answered30)), ("abandoned30Days", .int(abandoned30)),
            ("operatorStates", .object(states)),
        ])
    }

    /// The operator's own state, nil when the queue has not written one.
    func state(of userId: String) throws -> String? {
        guard try exists("operator_states") else { return nil }
        return try db.queryOne("SELECT state FROM operator_states WHERE user_id = ?", [.text(userId)])?.string(at: 0)
    }

    /// `AbandonRateSQL.countsSince` for a UTC day start, from `call_counts` (issue 16).
    private func abandonCounts(since: Int64) throws -> (Int64, Int64) {
        try CallTables.orEmpty((0, 0)) {
            let counts = try CallCounts.abandonCounts(db, sinceDay: since / Timestamp.millisPerDay)
            return (counts.answered, counts.abandoned)
        }
    }

    private func exists(_ table: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)]) != nil
    }
}
