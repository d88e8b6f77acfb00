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
    /// Why it waits when not due (issue 17's census): its own time, or a hold of the rules.
    let hold: SchedulerHold

    init(id: LeadID, priority: LeadPriority, createdAt: Int64, nextCallTime: Int64? = nil, zones: String = "",
         hold: SchedulerHold = .own) {
        self.init(id: id, priority: priority, createdAt: createdAt, dueAt: max(createdAt, nextCallTime ?? 0), zones: zones,
                  hold: hold)
    }

    init(id: LeadID, priority: LeadPriority, createdAt: Int64, dueAt: Int64, zones: String = "",
         hold: SchedulerHold = .own) {
        self.id = id
        self.priority = priority
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.zones = zones
        self.hold = hold
    }

    /// The same lead held by the dialing rules until `until`: due (and its SLA clock started) then.
    func held(until: Int64, hold: SchedulerHold = .window) -> SchedulerEntry {
        SchedulerEntry(id: id, priority: priority, createdAt: createdAt, dueAt: max(dueAt, until), zones: zones, hold: hold)
    }

    /// The same lead parked by a lasting reason of the rules (never due until it changes).
    func parked() -> SchedulerEntry {
        SchedulerEntry(id: id, priority: priority, createdAt: createdAt, dueAt: SchedulerHold.parkedDueAt, zones: zones,
                       hold: .blocked)
    }

    /// The entry for a dispatchable lead (pending, active, unassigned); nil for any other lead.
    init?(lead: LeadSnapshot) {
        guard lead.isDispatchable else { return nil }
        self.init(id: lead.id, priority: lead.priority, createdAt: lead.createdAt, nextCallTime: lead.nextCallTime,
                  zones: lead.timezones, hold: lead.capHeld ? .cap : .own)
    }

    /// When the SLA says it must have been dialled; nil for low (no SLA).
    var deadline: Int64? { priority.slaMillis.map { saturatingAddMillis(dueAt, $0) } }

    func isDue(at now: Int64) -> Bool { dueAt <= now }
}

/// An id's first 24 UTF-8 bytes as three big-endian words. For ids of at most 24 bytes (ObjectIDs
/// are exactly 24 hex digits) it orders exactly like the String, but copying it costs no
/// reference counting, which keeps heap moves cheap. Longer ids tie on their first 24 bytes.
struct LeadIDOrderKey: Comparable, Hashable {
    static let significantBytes = 24
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt64

    /// The key of an id that it holds whole (at most 24 bytes, no NUL): `text` gives the id back.
    init?(exactly id: LeadID) {
        guard id.utf8.count <= Self.significantBytes, !id.utf8.contains(0) else { return nil }
        self.init(id)
    }

    /// The id this key was made from, when it held it whole.
    var text: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.significantBytes)
        for word in [high, middle, low] {
            for shift in stride(from: 56, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(shift))
                if byte == 0 { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

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
