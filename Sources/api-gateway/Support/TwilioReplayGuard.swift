import Shared

/// Refuses exact replays of Twilio webhooks (docs/TWILIO.md "Replays"). A signature covers the
/// URL and every parameter, so it names one request exactly. A signature is remembered from the
/// moment its request arrives; if that request is not applied (the gateway answers anything but
/// 2xx, e.g. 503 while the dialer restarts) it is forgotten again, because Twilio may then retry
/// it legitimately. Twilio never resends a request it got a 2xx for, so a signature seen again
/// within `windowMillis` is a replay: 403, nothing forwarded. Older replays (and replays after a
/// gateway restart, which empties the memory) are still harmless: the dialer applies each fact
/// once. At most `maxEntries` signatures are kept, oldest dropped first. Loop thread only.
public final class TwilioReplayGuard {
    public static let windowMillis: Int64 = 15 * 60 * 1000
    public static let maxEntries = 50_000

    private let clock: WallClock
    private let window: Int64
    private let capacity: Int
    private var seen: [String: Int64] = [:]
    /// Signatures in arrival order with their time; `head` is the oldest live entry.
    private var order: [(String, Int64)] = []
    private var head = 0

    public init(clock: WallClock, windowMillis: Int64 = windowMillis, maxEntries: Int = maxEntries) {
        self.clock = clock
        window = windowMillis
        capacity = maxEntries
    }

    /// Signatures currently remembered.
    public var count: Int { seen.count }

    /// Records `signature`; false when it was already seen within the window (a replay).
    public func admit(_ signature: String) -> Bool {
        let now = clock.nowMillis()
        expire(now: now)
        if let at = seen[signature], now - at < window { return false }
        seen[signature] = now
        order.append((signature, now))
        while seen.count > capacity, head < order.count { dropOldest() }
        return true
    }

    /// The request with `signature` was not applied: a retry of it is welcome.
    public func forget(_ signature: String) {
        seen[signature] = nil
    }

    private func expire(now: Int64) {
        while head < order.count, now - order[head].1 >= window { dropOldest() }
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    private func dropOldest() {
        let (signature, at) = order[head]
        head += 1
        // Only if this entry is the one remembered (a forgotten and re-admitted one is newer).
        if seen[signature] == at { seen[signature] = nil }
    }
}
