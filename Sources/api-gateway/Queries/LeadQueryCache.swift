import Shared

/// A small cache of read results (counts, rendered pages) that stay correct while the database
/// does not change: every entry belongs to one `PRAGMA data_version` value (which moves whenever
/// another connection, e.g. the queue-daemon, commits) and the whole cache is dropped when the
/// version moves. An entry may also carry a wall-clock expiry, for results that change with time
/// alone (a lead whose `next_call_time` passes becomes available without any commit). Bounded:
/// when `capacity` entries exist the cache starts over. Loop thread only.
final class LeadQueryCache<Value> {
    /// Default most entries kept for one data version.
    static var defaultCapacity: Int { 256 }

    let capacity: Int
    private var version: Int64?
    private var entries: [String: (value: Value, expiresAt: Int64)] = [:]
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int = LeadQueryCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The value stored under `key` for `version`, unless it expired at `now` (epoch millis).
    func lookup(_ key: String, version: Int64, now: Int64) -> Value? {
        entry(key, version: version, now: now)?.value
    }

    /// `lookup` with the entry's expiry (epoch millis).
    func entry(_ key: String, version: Int64, now: Int64) -> (value: Value, expiresAt: Int64)? {
        guard version == self.version, let entry = entries[key], now < entry.expiresAt else {
            misses += 1
            return nil
        }
        hits += 1
        return entry
    }

    /// Stores `value` for `version`; `expiresAt` (epoch millis) defaults to never.
    func store(_ key: String, version: Int64, value: Value, expiresAt: Int64 = .max) {
        if version != self.version {
            entries.removeAll(keepingCapacity: true)
            self.version = version
        }
        if entries.count >= capacity && entries[key] == nil { entries.removeAll(keepingCapacity: true) }
        entries[key] = (value, expiresAt)
    }

    /// Returns the cached value or computes, stores and returns a fresh one.
    func value(_ key: String, version: Int64, now: Int64,
               compute: () throws -> (value: Value, expiresAt: Int64)) rethrows -> Value {
        if let cached = lookup(key, version: version, now: now) { return cached }
        let fresh = try compute()
        store(key, version: version, value: fresh.value, expiresAt: fresh.expiresAt)
        return fresh.value
    }

    func removeAll() {
        entries.removeAll()
        version = nil
    }
}
