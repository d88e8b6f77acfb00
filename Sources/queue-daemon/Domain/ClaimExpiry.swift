/// Claim timeout tracking (DESIGN §5): a lead claimed by an operator with no call started within
/// the timeout (default 30 min) goes back to `pending`. Tracks claimed leads by `claimedAt` in a
/// min-heap (one uniform timeout, so claim order = expiry order and the timeout can change at
/// runtime), answers which claims have expired (`claimedAt + timeout <= now`) and when the next
/// one will, so the daemon arms one timer instead of polling. The glue applies
/// `LeadEvent.claimExpired` to each expired lead (only if it is still claimed with that `claimedAt`).

struct ExpiredClaim: Equatable {
    let leadId: LeadID
    let claimedAt: Int64
}

final class ClaimExpiry {
    static let defaultTimeoutMillis: Int64 = 30 * 60_000
    /// Allowed claim timeouts: one minute to one day.
    static let timeoutRange: ClosedRange<Int64> = 60_000...(24 * 3_600_000)
    /// Heap rebuilt when it holds more than 2 × tracked claims + this many nodes.
    static let compactionSlack = 256

    private struct Node: Comparable {
        let claimedAt: Int64
        let leadId: LeadID
        let generation: UInt64
        static func < (a: Node, b: Node) -> Bool {
            a.claimedAt != b.claimedAt ? a.claimedAt < b.claimedAt : a.leadId < b.leadId
        }
    }

    private(set) var timeoutMillis: Int64
    private var claims: [LeadID: (claimedAt: Int64, generation: UInt64)] = [:]
    private var heap = MinHeap<Node>()
    private var nextGeneration: UInt64 = 0

    /// Throws `DomainConfigError` for a timeout outside `timeoutRange`.
    init(timeoutMillis: Int64 = defaultTimeoutMillis) throws {
        try DomainConfigError.check("claimTimeoutMillis", timeoutMillis, in: Self.timeoutRange)
        self.timeoutMillis = timeoutMillis
    }

    func setTimeout(millis: Int64) throws {
        try DomainConfigError.check("claimTimeoutMillis", millis, in: Self.timeoutRange)
        timeoutMillis = millis
    }

    static func isExpired(claimedAt: Int64, timeoutMillis: Int64, now: Int64) -> Bool {
        saturatingAddMillis(claimedAt, timeoutMillis) <= now
    }

    var count: Int { claims.count }
    func isTracking(_ leadId: LeadID) -> Bool { claims[leadId] != nil }
    func expiresAt(_ leadId: LeadID) -> Int64? { claims[leadId].map { saturatingAddMillis($0.claimedAt, timeoutMillis) } }

    func track(leadId: LeadID, claimedAt: Int64) {
        if claims[leadId]?.claimedAt == claimedAt { return }
        nextGeneration &+= 1
        claims[leadId] = (claimedAt, nextGeneration)
        heap.push(Node(claimedAt: claimedAt, leadId: leadId, generation: nextGeneration))
        compactIfNeeded()
    }

    func untrack(leadId: LeadID) {
        if claims.removeValue(forKey: leadId) != nil { compactIfNeeded() }
    }

    /// Follows a lead after a transition: an active claimed lead is tracked (a claimed row
    /// without `claimedAt` is inconsistent and expires at once), anything else is not.
    func sync(_ lead: LeadSnapshot) {
        if lead.status == .claimed && lead.isActive {
            track(leadId: lead.id, claimedAt: lead.claimedAt ?? Int64.min)
        } else {
            untrack(leadId: lead.id)
        }
    }

    /// Claims whose timeout has passed at `now`, oldest first; they stop being tracked.
    func expired(now: Int64) -> [ExpiredClaim] {
        var result: [ExpiredClaim] = []
        while let node = liveTop(), Self.isExpired(claimedAt: node.claimedAt, timeoutMillis: timeoutMillis, now: now) {
            heap.pop()
            claims[node.leadId] = nil
            result.append(ExpiredClaim(leadId: node.leadId, claimedAt: node.claimedAt))
        }
        return result
    }

    /// When the earliest tracked claim expires (ms), to arm the timer; nil when none is tracked.
    func nextExpiry() -> Int64? {
        liveTop().map { saturatingAddMillis($0.claimedAt, timeoutMillis) }
    }

    private func liveTop() -> Node? {
        while let node = heap.top, claims[node.leadId]?.generation != node.generation { heap.pop() }
        return heap.top
    }

    private func compactIfNeeded() {
        guard heap.count > 2 * claims.count + Self.compactionSlack else { return }
        heap = MinHeap(claims.map { Node(claimedAt: $0.value.claimedAt, leadId: $0.key, generation: $0.value.generation) })
    }

    /// Heap nodes held, live or stale (tests check that compaction bounds it).
    var heapNodeCount: Int { heap.count }
}
