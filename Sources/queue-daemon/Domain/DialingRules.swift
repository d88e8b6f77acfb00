/// Whether a lead may be dialed now (issue 12), as one pure decision so that the dispatcher, the
/// manual-call check and a later "why is this lead not dialing" explanation all use the same
/// rules. Order: a number on the do-not-call list is never dialed; a lead whose time zone is
/// unknown is not dialed automatically; outside its calling window (in all its zones) it waits
/// for the next opening; a number that reached its calls-per-day cap waits until the oldest call
/// of the rolling 24 hours falls out. A held lead is not an attempt and its SLA clock starts
/// when it becomes callable (the scheduler re-dates it to the hold's end).

/// Why a lead is not callable now (`callableReason` in the lead's JSON).
enum CallableReason: String, Equatable {
    case doNotCall = "do_not_call"
    case unknownTimezone = "unknown_timezone"
    case outsideCallingWindow = "outside_calling_window"
    case dailyCap = "daily_cap"
}

enum DialingDecision: Equatable {
    case dial
    /// Wait: not before this instant (ms), for this reason.
    case hold(until: Int64, reason: CallableReason)
    /// Never dialed automatically until the lead or the list changes.
    case block(CallableReason)
}

/// What the rules look at for one lead at one instant.
struct DialingFacts: Equatable {
    var onDoNotCallList = false
    /// False when the lead's zone is unknown.
    var zoneKnown = true
    /// The calling window in the lead's zones (ignored when the zone is unknown).
    var window: WindowState = .open(closesAt: .max)
    /// Start times (ms) of the calls to the number in the last `capWindowMillis`.
    var recentCallTimes: [Int64] = []
}

struct DialingRules {
    static let defaultMaxCallsPerNumberPerDay = 3
    static let capWindowMillis: Int64 = 24 * 3_600_000
    /// A window that does not open within `CallingWindow.searchDays` is looked at again after this.
    static let noOpeningRecheckMillis: Int64 = 24 * 3_600_000

    let maxCallsPerNumberPerDay: Int

    init(maxCallsPerNumberPerDay: Int = DialingRules.defaultMaxCallsPerNumberPerDay) {
        self.maxCallsPerNumberPerDay = maxCallsPerNumberPerDay
    }

    /// The decision for an automatic call at `now`.
    func decide(_ facts: DialingFacts, now: Int64) -> DialingDecision {
        if facts.onDoNotCallList { return .block(.doNotCall) }
        guard facts.zoneKnown else { return .block(.unknownTimezone) }
        if case .closed(let opensAt) = facts.window {
            return .hold(until: max(now + 1, opensAt ?? now + Self.noOpeningRecheckMillis), reason: .outsideCallingWindow)
        }
        if let until = capReleaseTime(facts.recentCallTimes, now: now) { return .hold(until: until, reason: .dailyCap) }
        return .dial
    }

    /// Why a manual call must be refused, nil when it may go ahead. A person chose to call, so an
    /// unknown zone does not stop it; the do-not-call list, the window and the cap do.
    func manualRefusal(_ facts: DialingFacts, now: Int64) -> DialingDecision? {
        var known = facts
        known.zoneKnown = true
        if !facts.zoneKnown { known.window = .open(closesAt: .max) }
        let decision = decide(known, now: now)
        return decision == .dial ? nil : decision
    }

    /// When the number may be called again under the cap; nil when it may be called now.
    func capReleaseTime(_ callTimes: [Int64], now: Int64) -> Int64? {
        let recent = callTimes.filter { $0 > now - Self.capWindowMillis && $0 <= now }.sorted()
        guard recent.count >= maxCallsPerNumberPerDay else { return nil }
        // The call that must fall out of the 24 hours for one more to fit.
        return recent[recent.count - maxCallsPerNumberPerDay] + Self.capWindowMillis
    }
}
