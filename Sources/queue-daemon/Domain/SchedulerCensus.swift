/// How many of the scheduler's leads are in each state, per zone set (issue 17), kept as the
/// scheduler changes so that "why is the queue not dialing" counts 1M leads without looking at
/// them: per `LeadScheduler` zone-set index, the due leads and the not-yet-due ones by why they
/// wait (`SchedulerHold`). The scheduler calls `add`/`subtract` when an entry comes, goes or
/// changes, and `promote` when a waiting entry becomes due. Pure value type, O(1) per change.

/// Why a scheduler entry is not due yet.
enum SchedulerHold: UInt8, CaseIterable, Equatable {
    /// Its own `next_call_time`: a retry back-off (or nothing: created in the future).
    case own = 0
    /// Re-dated by the dialing rules to its calling window's opening.
    case window = 1
    /// Re-dated (and stored) to the end of the per-number daily cap.
    case cap = 2
    /// Parked: the rules found a lasting reason (an unknown zone); never due until it changes.
    case blocked = 3

    /// `dueAt` of a parked entry.
    static let parkedDueAt = Int64.max
}

struct SchedulerCensus: Equatable {
    struct ZoneCounts: Equatable {
        var due = 0
        /// Not due yet, by `SchedulerHold.rawValue`.
        var waiting = [Int](repeating: 0, count: SchedulerHold.allCases.count)

        var total: Int { due + waiting.reduce(0, +) }
        func waiting(_ hold: SchedulerHold) -> Int { waiting[Int(hold.rawValue)] }
    }

    /// Indexed by the scheduler's zone-set index.
    private(set) var zones: [ZoneCounts] = []

    mutating func add(zoneSet: Int32, hold: SchedulerHold, isDue: Bool) {
        change(zoneSet: zoneSet, hold: hold, isDue: isDue, by: 1)
    }

    mutating func subtract(zoneSet: Int32, hold: SchedulerHold, isDue: Bool) {
        change(zoneSet: zoneSet, hold: hold, isDue: isDue, by: -1)
    }

    mutating func promote(zoneSet: Int32, hold: SchedulerHold) {
        change(zoneSet: zoneSet, hold: hold, isDue: false, by: -1)
        change(zoneSet: zoneSet, hold: hold, isDue: true, by: 1)
    }

    mutating func removeAll() {
        zones.removeAll()
    }

    private mutating func change(zoneSet: Int32, hold: SchedulerHold, isDue: Bool, by delta: Int) {
        let index = Int(zoneSet)
        while zones.count <= index { zones.append(ZoneCounts()) }
        if isDue {
            zones[index].due += delta
        } else {
            zones[index].waiting[Int(hold.rawValue)] += delta
        }
    }
}
