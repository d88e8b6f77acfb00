import Shared

/// The serialised bodies of `GET /api/leads` answers (issue 16: 30,000 list reads a second), so a
/// repeated read costs a lookup and a write instead of a page merge with its `dialability` and a
/// JSON serialisation.
///
/// An entry is served only while both sources of the answer are as they were when it was built:
/// - the list's `LeadListQuery.stamp()` has not moved: no daemon committed (`PRAGMA
///   data_version`), the gateway wrote nothing itself (the names in `assignedTo`), no refreshed
///   total replaced a stale one. The stamp is read before the page, so a commit racing with the
///   read leaves the answer under the old stamp, never served again;
/// - its `dialability` is still within `LeadDialabilityCache`'s bound (at most
///   `LeadDialabilityCache.maxAgeMillis` old): the entry expires with it.
///
/// The key is the caller's scope plus the normalised query (`LeadListFilter.pageKey`: the same
/// page whatever the parameters' order or spelling, e.g. `limit=20` or none). An admin's page
/// and an operator's are different keys, and so are two operators' (their id is the scope), even
/// where the filter alone would already differ. Bounded (`capacity`). Loop thread only.
final class LeadListResponseCache {
    /// Most answers kept for one stamp (distinct pages, filters and operators in use at once).
    static let defaultCapacity = 512

    private let entries: LeadQueryCache<[UInt8]>
    /// The newest stamp stored so far.
    private var newest: Int64?

    init(capacity: Int = LeadListResponseCache.defaultCapacity) {
        entries = LeadQueryCache(capacity: capacity)
    }

    /// Answers served from the cache (tests, diagnostics).
    var hits: Int { entries.hits }
    var count: Int { entries.count }

    /// The cache key of `filter` read by `caller`: `admin|…`, or `<role>:<id>|…` for anyone else.
    static func key(_ filter: LeadListFilter, caller: AuthUser) -> String {
        scope(of: caller) + "|" + filter.pageKey
    }

    /// Whose answer it is: every admin sees the same lists, anyone else their own.
    static func scope(of caller: AuthUser) -> String {
        caller.isAdmin ? "admin" : caller.role.rawValue + ":" + caller.id
    }

    /// The query as received, with the caller's scope (`alias`), mapped to the normalised key
    /// it parsed to, so a query string seen before is not parsed again. Validation depends only
    /// on the text and the scope (the role), so an alias is stored only after it validated.
    func key(forAlias alias: String) -> String? { aliases[alias] }

    func remember(alias: String, key: String) {
        if aliases.count >= entries.capacity && aliases[alias] == nil { aliases.removeAll(keepingCapacity: true) }
        aliases[alias] = key
    }

    /// `scope(of:)` plus the raw query text: the alias of a request.
    static func alias(scope: String, rawQuery: Substring?) -> String {
        guard let rawQuery else { return scope }
        return scope + "?" + rawQuery
    }

    private var aliases: [String: String] = [:]

    /// An answer this close to its expiry (milliseconds) is rebuilt in the background while it
    /// is still served, so that under load no request waits for the queue-daemon each second.
    static let refreshAheadMillis: Int64 = 250

    /// The body stored under `key` for `stamp`, unless its dialability has expired at `now`.
    func lookup(_ key: String, stamp: Int64, now: Int64) -> [UInt8]? {
        entries.lookup(key, version: stamp, now: now)
    }

    /// `lookup`, and whether the answer is due to be rebuilt ahead of its expiry.
    func entry(_ key: String, stamp: Int64, now: Int64) -> (body: [UInt8], refreshAhead: Bool)? {
        guard let found = entries.entry(key, version: stamp, now: now) else { return nil }
        return (found.value, found.expiresAt - now <= Self.refreshAheadMillis)
    }

    /// Keeps `body`, built from a page read at `stamp`, until `validUntil` (epoch millis).
    /// An answer for an older stamp than the newest one stored is dropped (it is already stale).
    func store(_ key: String, stamp: Int64, body: [UInt8], validUntil: Int64) {
        if let newest, stamp < newest { return }
        newest = stamp
        entries.store(key, version: stamp, value: body, expiresAt: validUntil)
    }

    /// Starts building the answer for `key` at `stamp`, or, when the same answer is already being
    /// built (a miss by another request since nothing moved the stamp), queues `deliver` for it and
    /// returns false. Joining keeps the guarantees above: the joined answer reads the same data
    /// (same stamp) and its dialability is asked after the first request arrived, so it is younger
    /// than any cached one could be. It spares the queue-daemon a burst of identical requests each
    /// time a page's dialability expires under load.
    func begin(_ key: String, stamp: Int64, orJoin deliver: @escaping ([UInt8]) -> Void) -> Bool {
        let slot = BuildSlot(key: key, stamp: stamp)
        if building[slot] != nil {
            building[slot]!.append(deliver)
            joined += 1
            return false
        }
        building[slot] = []
        return true
    }

    /// The answer `begin` asked to build: stored when `validUntil` is known, then handed to every
    /// request that joined.
    func finish(_ key: String, stamp: Int64, body: [UInt8], validUntil: Int64?) {
        if let validUntil { store(key, stamp: stamp, body: body, validUntil: validUntil) }
        for deliver in building.removeValue(forKey: BuildSlot(key: key, stamp: stamp)) ?? [] { deliver(body) }
    }

    private struct BuildSlot: Hashable {
        let key: String
        let stamp: Int64
    }

    /// Answers being built, with the requests waiting for each.
    private var building: [BuildSlot: [([UInt8]) -> Void]] = [:]
    /// Requests that joined an answer being built (tests, diagnostics).
    private(set) var joined = 0

    /// Drops every kept answer (not the ones being built: their requests still get them).
    func removeAll() {
        entries.removeAll()
        newest = nil
    }
}
