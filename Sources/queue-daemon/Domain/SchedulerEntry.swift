/// One dispatchable lead as the scheduler sees it: id, priority, creation time and the time it
/// becomes due (`max(createdAt, nextCallTime)`). Its SLA deadline is `dueAt + priority.slaMillis`
/// (urgent 0, high 2 min, medium 10 min); low has no deadline and is dialled only when idle.

import Shared

struct SchedulerEntry: Equatable {
    let id: LeadID
    let priority: LeadPriority
    let createdAt: Int64
    /// Not dialled before this (ms).
    let dueAt: Int64
    /// The lead's zones as stored (`leads.timezone`, "" when unknown), for the dialing rules.
    let zones: String

    init(id: LeadID, priority: LeadPriority, createdAt: Int64, nextCallTime: Int64? = nil, zones: String = "") {
        self.id = id
        self.priority = priority
        self.createdAt = createdAt
        self.dueAt = max(createdAt, nextCallTime ?? 0)
        self.zones = zones
    }

    private init(_ entry: SchedulerEntry, dueAt: Int64) {
        id = entry.id
        priority = entry.priority
        createdAt = entry.createdAt
        self.dueAt = dueAt
        zones = entry.zones
    }

    /// The same lead held by the dialing rules until `until`: due (and its SLA clock started) then.
    func held(until: Int64) -> SchedulerEntry { SchedulerEntry(self, dueAt: max(dueAt, until)) }

    /// The entry for a dispatchable lead (pending, active, unassigned); nil for any other lead.
    init?(lead: LeadSnapshot) {
        guard lead.isDispatchable else { return nil }
        self.init(id: lead.id, priority: lead.priority, createdAt: lead.createdAt, nextCallTime: lead.nextCallTime,
                  zones: lead.timezones)
    }

    /// When the SLA says it must have been dialled; nil for low (no SLA).
    var deadline: Int64? { priority.slaMillis.map { saturatingAddMillis(dueAt, $0) } }

    func isDue(at now: Int64) -> Bool { dueAt <= now }
}

/// An id's first 24 UTF-8 bytes as three big-endian words. For ids of at most 24 bytes (ObjectIDs
/// are exactly 24 hex digits) it orders exactly like the String, but copying it costs no
/// reference counting, which keeps heap moves cheap. Longer ids tie on their first 24 bytes.
struct LeadIDOrderKey: Comparable {
    static let significantBytes = 24
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt64

    init(_ id: LeadID) {
        var words: [UInt64] = [0, 0, 0]
        var index = 0
        for byte in id.utf8 {
            if index == Self.significantBytes { break }
            words[index / 8] |= UInt64(byte) << UInt64((7 - index % 8) * 8)
            index += 1
        }
        high = words[0]
        middle = words[1]
        low = words[2]
    }

    static func < (a: LeadIDOrderKey, b: LeadIDOrderKey) -> Bool {
        if a.high != b.high { return a.high < b.high }
        if a.middle != b.middle { return a.middle < b.middle }
        return a.low < b.low
    }
}
