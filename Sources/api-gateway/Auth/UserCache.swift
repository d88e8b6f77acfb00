/// Users by id in memory, so the authentication guard re-reads role and active state on every
/// request without a query. Coherent because the gateway is the only writer of `users`: every
/// write goes through `UserStore`, which invalidates the row it touched. Bounded: past
/// `capacity` entries the cache starts over (rows are re-read on demand).
public final class UserCache {
    public static let defaultCapacity = 10_000

    public let capacity: Int
    private var byID: [String: UserRecord] = [:]

    public init(capacity: Int = UserCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { byID.count }

    public func get(_ id: String) -> UserRecord? { byID[id] }

    public func put(_ user: UserRecord) {
        if byID[user.id] == nil && byID.count >= capacity { byID.removeAll(keepingCapacity: true) }
        byID[user.id] = user
    }

    public func invalidate(_ id: String) { byID[id] = nil }

    public func invalidateAll() { byID.removeAll() }
}
