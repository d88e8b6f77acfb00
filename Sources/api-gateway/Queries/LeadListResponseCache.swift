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
        let scope = caller.isAdmin ? "admin" : caller.role.rawValue + ":" + caller.id
        return scope + "|" + filter.pageKey
    }

    /// The body stored under `key` for `stamp`, unless its dialability has expired at `now`.
    func lookup(_ key: String, stamp: Int64, now: Int64) -> [UInt8]? {
        entries.lookup(key, version: stamp, now: now)
    }

    /// Keeps `body`, built from a page read at `stamp`, until `validUntil` (epoch millis).
    /// An answer for an older stamp than the newest one stored is dropped (it is already stale).
    func store(_ key: String, stamp: Int64, body: [UInt8], validUntil: Int64) {
        if let newest, stamp < newest { return }
        newest = stamp
        entries.store(key, version: stamp, value: body, expiresAt: validUntil)
    }

    func removeAll() {
        entries.removeAll()
        newest = nil
    }
}
