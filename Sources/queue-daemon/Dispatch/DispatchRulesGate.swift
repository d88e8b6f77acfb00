/// The dispatcher's `DialingGate`: gathers the facts for `DialingRules` about the lead at the head
/// of the queue, cheaply enough to run for every candidate. Zones are parsed once per distinct
/// `leads.timezone` text, and the calling window per text is cached until the instant it can next
/// change (its closing or opening), so 100,000 leads over 50 zones cost one Calendar computation
/// per zone set per window edge, not per lead. `setHours` drops the cache. Loop thread only.

import Foundation
import Shared

final class DispatchRulesGate: DialingGate {
    private struct CachedWindow {
        let from: Int64
        let until: Int64
        let state: WindowState
    }

    private(set) var rules: DialingRules
    private(set) var window: CallingWindow
    private var zoneCache: [String: [TimeZone]] = [:]
    private var windowCache: [String: CachedWindow] = [:]
    /// Calendar computations done (tests and benchmarks read it).
    private(set) var windowComputations = 0
    /// Each lead's calls of the last 24 hours (the per-number cap).
    let recentCalls: RecentCallLog
    /// Leads the planner held for the daily cap since the dispatcher last took them (it stores
    /// their `next_call_time`, so the hold shows in the lead and survives a restart).
    private(set) var capHolds: [(leadId: LeadID, until: Int64)] = []

    /// `IBRAT_MAX_ATTEMPTS` (a failed lead past it is explained as `max_attempts`).
    let maxAttempts: Int

    init(hours: CallingHours, rules: DialingRules = DialingRules(), recentCalls: RecentCallLog = RecentCallLog(),
         maxAttempts: Int = RetryPolicy.defaultMaxAttempts) {
        self.window = CallingWindow(hours: hours)
        self.rules = rules
        self.maxAttempts = maxAttempts
        self.recentCalls = recentCalls
        recentCalls.capThreshold = rules.maxCallsPerNumberPerDay
    }

    func takeCapHolds() -> [(leadId: LeadID, until: Int64)] {
        defer { capHolds.removeAll() }
        return capHolds
    }

    func setHours(_ hours: CallingHours) {
        guard hours != window.hours else { return }
        window = CallingWindow(hours: hours)
        windowCache.removeAll()
    }

    /// The planner's question about the lead at the head of the queue, answered by
    /// `DialabilityDecision` (issue 17) from the lead's facts: dial only a callable lead.
    func decide(_ entry: SchedulerEntry, now: Int64) -> DialingDecision {
        let dialability = DialabilityDecision.decide(DialabilityFacts(lead: leadFacts(entry, now: now)), now: now,
                                                     rules: rules, maxAttempts: maxAttempts)
        let decision = DialabilityDecision.dialingDecision(dialability, now: now)
        if case .hold(let until, .dailyCap) = decision { capHolds.append((entry.id, until)) }
        return decision
    }

    /// A scheduler entry's facts: due (the scheduler only hands out due leads), pending, its
    /// zones' window, its recent calls.
    func leadFacts(_ entry: SchedulerEntry, now: Int64) -> LeadDialFacts {
        var lead = LeadDialFacts()
        let facts = facts(zones: entry.zones, now: now)
        lead.zoneKnown = facts.zoneKnown
        lead.window = facts.window
        lead.recentCallTimes = recentCalls.times(for: entry.id, now: now)
        return lead
    }

    /// The lead's local time in each of its zones ("14:05 Asia/Tashkent"), nil when unknown.
    func localTime(zones: String, now: Int64) -> String? {
        let parsed = timeZones(zones)
        guard !parsed.isEmpty else { return nil }
        return parsed.map { CallingWindow.localTime(at: now, zone: $0) }.joined(separator: ", ")
    }

    /// The facts about a lead with these zones at `now`.
    func facts(zones: String, now: Int64) -> DialingFacts {
        var facts = DialingFacts()
        let parsed = timeZones(zones)
        facts.zoneKnown = !parsed.isEmpty
        if facts.zoneKnown { facts.window = windowState(zones: zones, parsed: parsed, now: now) }
        return facts
    }

    /// The window for the zone set `zones` at `now` (cached, see the type comment).
    func windowState(zones: String, now: Int64) -> WindowState {
        windowState(zones: zones, parsed: timeZones(zones), now: now)
    }

    private func windowState(zones: String, parsed: [TimeZone], now: Int64) -> WindowState {
        if let cached = windowCache[zones], cached.from <= now, now < cached.until { return cached.state }
        windowComputations += 1
        let state = window.state(at: now, zones: parsed)
        let until: Int64
        switch state {
        case .open(let closesAt): until = closesAt
        case .closed(let opensAt): until = opensAt ?? now + DialingRules.noOpeningRecheckMillis
        }
        windowCache[zones] = CachedWindow(from: now, until: until, state: state)
        return state
    }

    /// `leads.timezone` text → zones ([] when empty or when a name no longer loads).
    func timeZones(_ zones: String) -> [TimeZone] {
        if let cached = zoneCache[zones] { return cached }
        var parsed: [TimeZone] = []
        for name in zones.split(separator: ResolvedTimeZone.separator) {
            guard let zone = TimeZone(identifier: String(name)) else { parsed = []; break }
            parsed.append(zone)
        }
        zoneCache[zones] = parsed
        return parsed
    }
}
