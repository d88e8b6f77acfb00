/// Prepared statements keyed by SQL text, least-recently-used eviction at `capacity`. Evicted
/// statements are finalized when the last reference goes away (the caller may still hold one).
final class StatementCache {
    let capacity: Int
    private var statements: [String: Statement] = [:]
    private var tick: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { statements.count }

    func lookup(_ sql: String) -> Statement? {
        guard let statement = statements[sql] else { return nil }
        tick &+= 1
        statement.lastUsed = tick
        return statement
    }

    func insert(_ statement: Statement) {
        if statements[statement.sql] == nil && statements.count >= capacity { evictLeastRecentlyUsed() }
        tick &+= 1
        statement.lastUsed = tick
        statements[statement.sql] = statement
    }

    private func evictLeastRecentlyUsed() {
        var oldestKey: String?
        var oldestTick = UInt64.max
        for (key, statement) in statements where statement.lastUsed < oldestTick {
            oldestKey = key
            oldestTick = statement.lastUsed
        }
        if let oldestKey { statements[oldestKey] = nil }
    }

    func removeAll() { statements.removeAll() }
}
