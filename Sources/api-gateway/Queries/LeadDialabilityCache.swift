import Shared

/// Keeps the queue-daemon's `dialability` answers for lead list pages a short time, so a list
/// read does not wait for an IPC round trip every time (issue 16: 30,000 list reads a second;
/// issue 17: the lead in lists carries its dialability "cheaply").
///
/// An answer belongs to one `PRAGMA data_version`: any daemon's commit drops it. Those commits
/// include a lead changing state, a call starting or ending, an operator's state or a pause.
/// It also lives at most `maxAgeMillis`, so what changes only in the queue-daemon's memory or
/// with the clock shows within that time. Examples: a retry time passing, a calling window
/// opening, the dialer reconnecting. The detail route (`GET /api/leads/:id`) never uses it and is
/// always fresh. Loop thread only.
final class LeadDialabilityCache {
    /// Longest time a list page's dialability is served from the cache.
    static let maxAgeMillis: Int64 = 1_000

    private let entries = LeadQueryCache<JSONObject>()
    private let version: () throws -> Int64
    private let now: () -> Int64

    /// `version`: the read connection's data version; `now`: epoch milliseconds.
    init(version: @escaping () throws -> Int64, now: @escaping () -> Int64) {
        self.version = version
        self.now = now
    }

    convenience init(db: Database, clock: WallClock) {
        let dataVersion = LeadDataVersion(db: db)
        self.init(version: { try dataVersion.current }, now: { clock.nowMillis() })
    }

    /// Answers served from the cache (tests, diagnostics).
    var hits: Int { entries.hits }

    /// A ticket for one lookup: the version read before the queue-daemon is asked, so a commit
    /// racing with the request leaves the answer stored under the old version (never served).
    struct Ticket {
        let key: String
        let version: Int64?
    }

    /// The dialability per lead id for `ids` and when it stops being served (epoch millis), or
    /// nil with the ticket to store the fresh answer.
    func lookup(ids: [String]) -> (cached: JSONObject?, expiresAt: Int64?, ticket: Ticket) {
        let key = ids.joined(separator: ",")
        guard let version = try? version() else { return (nil, nil, Ticket(key: key, version: nil)) }
        let cached = entries.entry(key, version: version, now: now())
        return (cached?.value, cached?.expiresAt, Ticket(key: key, version: version))
    }

    /// Stores the queue-daemon's answer for the ticket's page; returns when it stops being served
    /// (nil when it was not stored).
    @discardableResult
    func store(_ found: JSONObject, for ticket: Ticket) -> Int64? {
        guard let version = ticket.version else { return nil }
        let expiresAt = now() + Self.maxAgeMillis
        entries.store(ticket.key, version: version, value: found, expiresAt: expiresAt)
        return expiresAt
    }
}
