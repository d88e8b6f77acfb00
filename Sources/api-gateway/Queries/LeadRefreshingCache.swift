import Shared

/// Stale-while-revalidate cache for expensive whole-table reads (a filter's `total`, the stats
/// aggregate). An entry is fresh while the loop connection's `PRAGMA data_version` is the one it
/// was computed at and its wall-clock expiry has not passed. A missing entry, or a stale one that
/// was cheap to compute last time (under `syncThresholdMicros`), is computed right away on the
/// loop connection. A stale entry that was expensive is served as it is while a `LeadReadWorker`
/// recomputes it on a worker thread (at most once per `minRefreshIntervalMicros` per key), so a
/// 100,000-row count never stalls the event loop when the queue-daemon commits. `onRefresh` runs
/// on the loop after a background result was stored (to drop what was built from the old value).
final class LeadRefreshingCache<Value> {
    /// A computation this cheap is simply redone on the loop when the data changes.
    static var defaultSyncThresholdMicros: UInt64 { 2_000 }
    /// Background recomputations of one key start at most this often.
    static var defaultMinRefreshIntervalMicros: UInt64 { 250_000 }
    /// Entries kept at most (the cache starts over beyond it).
    static var defaultCapacity: Int { 256 }

    typealias Compute = (Database, _ now: Int64) throws -> (value: Value, expiresAt: Int64)

    private struct Entry {
        var value: Value
        var version: Int64
        var expiresAt: Int64
        var costMicros: UInt64
        var refreshStartedAt: UInt64
    }

    private let db: Database
    private let worker: LeadReadWorker?
    private let capacity: Int
    var syncThresholdMicros = LeadRefreshingCache.defaultSyncThresholdMicros
    var minRefreshIntervalMicros = LeadRefreshingCache.defaultMinRefreshIntervalMicros
    var onRefresh: (() -> Void)?
    private var entries: [String: Entry] = [:]
    private(set) var hits = 0
    private(set) var staleServed = 0
    /// Background recomputations stored so far.
    private(set) var refreshes = 0

    /// Without a `worker` every recomputation happens on the loop connection.
    init(db: Database, worker: LeadReadWorker?, capacity: Int = LeadRefreshingCache.defaultCapacity) {
        self.db = db
        self.worker = worker
        self.capacity = max(1, capacity)
    }

    /// The value for `key` at `version` / `now`, and whether it is fresh.
    func value(_ key: String, version: Int64, now: Int64, compute: @escaping Compute) throws -> (value: Value, fresh: Bool) {
        if let entry = entries[key] {
            if entry.version == version && now < entry.expiresAt {
                hits += 1
                return (entry.value, true)
            }
            if let worker, entry.costMicros >= syncThresholdMicros {
                refresh(key, entry: entry, version: version, now: now, worker: worker, compute: compute)
                staleServed += 1
                return (entry.value, false)
            }
        }
        let started = MonotonicClock.micros()
        let fresh = try compute(db, now)
        store(key, Entry(value: fresh.value, version: version, expiresAt: fresh.expiresAt,
                         costMicros: MonotonicClock.micros() &- started, refreshStartedAt: 0))
        return (fresh.value, true)
    }

    private func refresh(_ key: String, entry: Entry, version: Int64, now: Int64, worker: LeadReadWorker,
                         compute: @escaping Compute) {
        let clock = MonotonicClock.micros()
        guard !worker.isPending(key), clock &- entry.refreshStartedAt >= minRefreshIntervalMicros else { return }
        entries[key]?.refreshStartedAt = clock
        worker.submit(key: key, { db -> (value: Value, expiresAt: Int64, cost: UInt64) in
            let started = MonotonicClock.micros()
            let fresh = try compute(db, now)
            return (fresh.value, fresh.expiresAt, MonotonicClock.micros() &- started)
        }, completion: { [weak self] result in
            // A failed refresh keeps the stale value; the next request after the interval retries.
            guard let self, case .success(let fresh) = result else { return }
            self.store(key, Entry(value: fresh.value, version: version, expiresAt: fresh.expiresAt,
                                  costMicros: fresh.cost, refreshStartedAt: clock))
            self.refreshes += 1
            self.onRefresh?()
        })
    }

    private func store(_ key: String, _ entry: Entry) {
        if entries.count >= capacity && entries[key] == nil { entries.removeAll(keepingCapacity: true) }
        entries[key] = entry
    }
}
