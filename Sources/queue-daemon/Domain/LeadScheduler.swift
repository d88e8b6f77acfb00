/// The auto-dialer's in-memory set of dispatchable leads and its dispatch order (DESIGN §5):
/// earliest SLA deadline first among due urgent/high/medium leads, ties oldest `createdAt` then
/// id; low leads only when no other lead is due (then earliest due, oldest first). Only due leads
/// (`dueAt <= now`) are candidates; `nextDueTime` gives the next future `dueAt` so the daemon can
/// arm one timer instead of polling. SLA misses (dispatched after the deadline) are counted.
///
/// Structure: one min-heap of not-yet-due leads by `dueAt`, and per priority a min-heap of due
/// leads by (dueAt, createdAt, id) — within one priority deadline order equals dueAt order, so the
/// head of each heap is that class's EDF candidate. Entries live in an array slot (handle); heap
/// nodes carry the handle and the slot's generation, so removal and update are lazy (stale nodes
/// are skipped without hashing, and the heaps are rebuilt when stale nodes dominate). The id
/// dictionary is touched only by upsert/remove. O(log n) per operation; `now` must not go backwards.
///
/// Memory per lead is bounded and holds no heap object (issue 10): ids are kept as their 24-byte
/// `LeadIDOrderKey` (a lead id is a 24-hex ObjectID) in the dictionary and the slot, and turned back
/// into a String only when an entry is handed out; an id longer than 24 bytes (never a lead id)
/// falls back to a String-keyed side table. About 130 bytes per lead: slot 48, dictionary ~40,
/// one heap node 24–48.

import Shared

final class LeadScheduler {
    /// Heaps are rebuilt when they hold more than 2 × live entries + this many nodes.
    static let compactionSlack = 1024

    /// A `SchedulerEntry` without its String id.
    private struct CompactEntry: Equatable {
        let key: LeadIDOrderKey
        let priority: LeadPriority
        /// Why it is not due yet (issue 17's census); fits in the padding after `priority`.
        let hold: SchedulerHold
        let createdAt: Int64
        let dueAt: Int64
        /// The entry's zones (issue 12) as an index into `zoneSets`.
        let zoneSet: Int32
    }

    private struct Slot {
        var compact: CompactEntry
        /// Bumped on every change and on removal: heap nodes with an older value are stale.
        var generation: UInt32
        var isDue: Bool
        var isLive: Bool
    }

    private struct WaitingNode: Comparable {
        let dueAt: Int64
        let handle: Int32
        let generation: UInt32
        static func < (a: WaitingNode, b: WaitingNode) -> Bool { a.dueAt < b.dueAt }
    }

    private struct DueNode: Comparable {
        let dueAt: Int64
        let createdAt: Int64
        let idKey: LeadIDOrderKey
        let handle: Int32
        let generation: UInt32
        static func < (a: DueNode, b: DueNode) -> Bool {
            if a.dueAt != b.dueAt { return a.dueAt < b.dueAt }
            if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            return a.idKey < b.idKey
        }
    }

    private static let byRank = LeadPriority.allCases.sorted { $0.rank < $1.rank }

    private var handles: [LeadIDOrderKey: Int32] = [:]
    /// Ids over 24 bytes (not lead ids in practice): by id, and back by handle.
    private var longHandles: [LeadID: Int32] = [:]
    private var longIds: [Int32: LeadID] = [:]
    private var store: [Slot] = []
    /// Distinct `SchedulerEntry.zones` texts (a few dozen), so a slot holds an index, not a String.
    private var zoneSets: [String] = [""]
    private var zoneSetIndex: [String: Int32] = ["": 0]
    private var freeHandles: [Int32] = []
    private var waiting = MinHeap<WaitingNode>()
    private var due = [MinHeap<DueNode>](repeating: MinHeap(), count: LeadScheduler.byRank.count)
    private var dueCounts = [Int](repeating: 0, count: LeadScheduler.byRank.count)
    private var dispatched = [Int](repeating: 0, count: LeadScheduler.byRank.count)
    private var misses = [Int](repeating: 0, count: LeadScheduler.byRank.count)
    /// Due and waiting entries per zone set (issue 17), kept as entries change.
    private(set) var census = SchedulerCensus()
    /// Seconds from a lead becoming due to its dispatch, per priority rank (`GET /metrics`).
    let dueToDial = LeadScheduler.byRank.map { _ in Histogram(bounds: Histogram.delaySeconds) }

    init() {}

    // MARK: - Membership

    var count: Int { handles.count + longHandles.count }
    func contains(id: LeadID) -> Bool { handle(of: id) != nil }
    func entry(id: LeadID) -> SchedulerEntry? { handle(of: id).map { entry(at: Int($0)) } }

    private func handle(of id: LeadID) -> Int32? {
        if let key = LeadIDOrderKey(exactly: id) { return handles[key] }
        return longHandles[id]
    }

    private func setHandle(_ handle: Int32, for id: LeadID) {
        if let key = LeadIDOrderKey(exactly: id) {
            handles[key] = handle
        } else {
            longHandles[id] = handle
            longIds[handle] = id
        }
    }

    private func removeHandle(of id: LeadID) -> Int32? {
        if let key = LeadIDOrderKey(exactly: id) { return handles.removeValue(forKey: key) }
        guard let handle = longHandles.removeValue(forKey: id) else { return nil }
        longIds[handle] = nil
        return handle
    }

    /// The full entry of slot `handle`, its id made back into a String.
    private func entry(at handle: Int) -> SchedulerEntry {
        let c = store[handle].compact
        return SchedulerEntry(id: longIds[Int32(handle)] ?? c.key.text, priority: c.priority, createdAt: c.createdAt,
                              dueAt: c.dueAt, zones: zoneSets[Int(c.zoneSet)], hold: c.hold)
    }

    private func compact(_ entry: SchedulerEntry) -> CompactEntry {
        CompactEntry(key: LeadIDOrderKey(entry.id), priority: entry.priority, hold: entry.hold, createdAt: entry.createdAt,
                     dueAt: entry.dueAt, zoneSet: zoneSet(entry.zones))
    }

    private func zoneSet(_ zones: String) -> Int32 {
        if let index = zoneSetIndex[zones] { return index }
        let index = Int32(zoneSets.count)
        zoneSets.append(zones)
        zoneSetIndex[zones] = index
        return index
    }

    /// Adds or replaces the entry with this id (a changed priority or nextCallTime re-orders it).
    func upsert(_ entry: SchedulerEntry) {
        let compact = compact(entry)
        let handle: Int
        if let existing = self.handle(of: entry.id) {
            handle = Int(existing)
            if store[handle].compact == compact { return }
            if store[handle].isDue { dueCounts[store[handle].compact.priority.rank] -= 1 }
            census.subtract(zoneSet: store[handle].compact.zoneSet, hold: store[handle].compact.hold,
                            isDue: store[handle].isDue)
            store[handle].compact = compact
            store[handle].generation &+= 1
            store[handle].isDue = false
        } else if let reused = freeHandles.popLast() {
            handle = Int(reused)
            store[handle] = Slot(compact: compact, generation: store[handle].generation &+ 1, isDue: false, isLive: true)
            setHandle(reused, for: entry.id)
        } else {
            handle = store.count
            store.append(Slot(compact: compact, generation: 0, isDue: false, isLive: true))
            setHandle(Int32(handle), for: entry.id)
        }
        census.add(zoneSet: compact.zoneSet, hold: compact.hold, isDue: false)
        waiting.push(WaitingNode(dueAt: entry.dueAt, handle: Int32(handle), generation: store[handle].generation))
        compactIfNeeded()
    }

    @discardableResult
    func remove(id: LeadID) -> SchedulerEntry? {
        guard let removed = removeHandle(of: id) else { return nil }
        let handle = Int(removed)
        let removedEntry = SchedulerEntry(id: id, priority: store[handle].compact.priority,
                                          createdAt: store[handle].compact.createdAt, dueAt: store[handle].compact.dueAt,
                                          zones: zoneSets[Int(store[handle].compact.zoneSet)], hold: store[handle].compact.hold)
        if store[handle].isDue { dueCounts[store[handle].compact.priority.rank] -= 1 }
        census.subtract(zoneSet: store[handle].compact.zoneSet, hold: store[handle].compact.hold, isDue: store[handle].isDue)
        store[handle].generation &+= 1
        store[handle].isDue = false
        store[handle].isLive = false
        freeHandles.append(removed)
        compactIfNeeded()
        return removedEntry
    }

    /// Keeps the scheduler in step with a lead after a transition: dispatchable → upsert, else remove.
    func sync(_ lead: LeadSnapshot) {
        if let entry = SchedulerEntry(lead: lead) { upsert(entry) } else { remove(id: lead.id) }
    }

    func removeAll() {
        replaceAll(with: [])
    }

    /// Start-up rebuild in O(n): replaces every entry (a later duplicate id wins).
    func replaceAll(with entries: [SchedulerEntry]) {
        handles = [:]
        handles.reserveCapacity(entries.count)
        longHandles = [:]
        longIds = [:]
        store = []
        store.reserveCapacity(entries.count)
        freeHandles = []
        for entry in entries {
            if let existing = handle(of: entry.id) {
                store[Int(existing)].compact = compact(entry)
            } else {
                setHandle(Int32(store.count), for: entry.id)
                store.append(Slot(compact: compact(entry), generation: 0, isDue: false, isLive: true))
            }
        }
        for rank in dueCounts.indices { dueCounts[rank] = 0 }
        census.removeAll()
        for slot in store { census.add(zoneSet: slot.compact.zoneSet, hold: slot.compact.hold, isDue: false) }
        rebuildHeaps()
    }

    // MARK: - Dispatch order

    func dueCount(now: Int64) -> Int {
        promote(now)
        return dueCounts.reduce(0, +)
    }

    func dueCount(_ priority: LeadPriority, now: Int64) -> Int {
        promote(now)
        return dueCounts[priority.rank]
    }

    /// The lead to dial next at `now`, or nil when no lead is due.
    func next(now: Int64) -> SchedulerEntry? {
        nextHandle(now: now).map { entry(at: $0) }
    }

    private func nextHandle(now: Int64) -> Int? {
        promote(now)
        var best: (key: (Int64, Int64, LeadIDOrderKey), handle: Int32)?
        for priority in Self.byRank {
            guard let sla = priority.slaMillis, let node = liveDueTop(priority.rank), node.dueAt <= now else { continue }
            let key = (saturatingAddMillis(node.dueAt, sla), node.createdAt, node.idKey)
            if best.map({ key < $0.key }) ?? true { best = (key, node.handle) }
        }
        if best == nil {
            for priority in Self.byRank where priority.slaMillis == nil {
                guard let node = liveDueTop(priority.rank), node.dueAt <= now else { continue }
                let key = (node.dueAt, node.createdAt, node.idKey)
                if best.map({ key < $0.key }) ?? true { best = (key, node.handle) }
            }
        }
        return best.map { Int($0.handle) }
    }

    /// Slack before a dispatch counts as an SLA miss. "Urgent: immediately" has a 0 ms deadline; a
    /// lead dialed a few milliseconds after it became due (the time to commit and plan) is on time.
    static let slaToleranceMillis: Int64 = 1000

    /// `next(now:)`, removed from the scheduler and counted as dispatched (an SLA miss when
    /// `now` is past its deadline).
    func popNext(now: Int64) -> SchedulerEntry? {
        guard let entry = next(now: now) else { return nil }
        remove(id: entry.id)
        let rank = entry.priority.rank
        dispatched[rank] += 1
        dueToDial[rank].observe(Double(max(0, now - entry.dueAt)) / 1000)
        if let deadline = entry.deadline, now > deadline + Self.slaToleranceMillis { misses[rank] += 1 }
        return entry
    }

    /// The earliest `dueAt` after `now`, to arm a timer; nil when no lead is waiting for time.
    func nextDueTime(now: Int64) -> Int64? {
        promote(now)
        while let node = waiting.top, store[Int(node.handle)].generation != node.generation { waiting.pop() }
        guard let top = waiting.top?.dueAt, top != SchedulerHold.parkedDueAt else { return nil }
        return top
    }

    /// The census after promoting the entries due at `now`, with each zone set's text.
    func census(now: Int64) -> [(zones: String, counts: SchedulerCensus.ZoneCounts)] {
        promote(now)
        return census.zones.enumerated().map { (zoneSets[$0.offset], $0.element) }
    }

    // MARK: - Statistics

    var slaMissCount: Int { misses.reduce(0, +) }
    func slaMisses(_ priority: LeadPriority) -> Int { misses[priority.rank] }
    var dispatchCount: Int { dispatched.reduce(0, +) }
    func dispatchCount(_ priority: LeadPriority) -> Int { dispatched[priority.rank] }

    func resetStatistics() {
        for rank in misses.indices {
            misses[rank] = 0
            dispatched[rank] = 0
        }
    }

    // MARK: - Internals

    /// Moves every live waiting node with `dueAt <= now` into its priority's due heap.
    private func promote(_ now: Int64) {
        while let node = waiting.top, node.dueAt <= now {
            waiting.pop()
            let handle = Int(node.handle)
            guard store[handle].generation == node.generation else { continue }
            store[handle].isDue = true
            let entry = store[handle].compact
            census.promote(zoneSet: entry.zoneSet, hold: entry.hold)
            let rank = entry.priority.rank
            due[rank].push(DueNode(dueAt: entry.dueAt, createdAt: entry.createdAt, idKey: entry.key,
                                   handle: node.handle, generation: node.generation))
            dueCounts[rank] += 1
        }
    }

    private func liveDueTop(_ rank: Int) -> DueNode? {
        while let node = due[rank].top, store[Int(node.handle)].generation != node.generation { due[rank].pop() }
        return due[rank].top
    }

    private func compactIfNeeded() {
        guard heapNodeCount > 2 * count + Self.compactionSlack else { return }
        rebuildHeaps()
    }

    private func rebuildHeaps() {
        var waitingNodes: [WaitingNode] = []
        var dueNodes = [[DueNode]](repeating: [], count: due.count)
        for (index, slot) in store.enumerated() where slot.isLive {
            let e = slot.compact
            if slot.isDue {
                dueNodes[e.priority.rank].append(DueNode(dueAt: e.dueAt, createdAt: e.createdAt, idKey: e.key,
                                                         handle: Int32(index), generation: slot.generation))
            } else {
                waitingNodes.append(WaitingNode(dueAt: e.dueAt, handle: Int32(index), generation: slot.generation))
            }
        }
        waiting = MinHeap(waitingNodes)
        due = dueNodes.map { MinHeap($0) }
    }

    /// Heap nodes held, live or stale (tests check that compaction bounds it).
    var heapNodeCount: Int { waiting.count + due.reduce(0) { $0 + $1.count } }
}
