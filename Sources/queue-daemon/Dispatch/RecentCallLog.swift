/// When each lead's number was called in the last 24 hours (issue 12's per-number cap), in
/// memory: loaded from `calls` at start-up and appended to whenever a call is placed (automatic or
/// manual), so the dialing rules never query SQL per candidate. Phones are unique among leads, so
/// a lead id stands for its number. Times older than the cap window are dropped as they are read.

import Shared

final class RecentCallLog {
    private var times: [LeadID: [Int64]] = [:]
    /// Leads with at least `capThreshold` stored times (issue 17 looks only at these for the
    /// daily cap, not at every lead called today); pruned as their times are read.
    private(set) var atCap: Set<LeadID> = []
    var capThreshold = DialingRules.defaultMaxCallsPerNumberPerDay

    var count: Int { times.count }

    /// Start times (ms) of the lead's calls within `DialingRules.capWindowMillis` before `now`.
    func times(for leadId: LeadID, now: Int64) -> [Int64] {
        guard let all = times[leadId] else { return [] }
        let cutoff = now - DialingRules.capWindowMillis
        guard let first = all.first, first <= cutoff else { return all }
        let recent = all.filter { $0 > cutoff }
        times[leadId] = recent.isEmpty ? nil : recent
        if recent.count < capThreshold { atCap.remove(leadId) }
        return recent
    }

    func record(leadId: LeadID, at time: Int64) {
        times[leadId, default: []].append(time)
        if times[leadId]?.count ?? 0 >= capThreshold { atCap.insert(leadId) }
    }

    /// Start-up: the calls of the last 24 hours from the dialer's table.
    func load(from reader: DispatchReader, now: Int64) throws {
        times.removeAll()
        atCap.removeAll()
        guard try reader.tableExists("calls") else { return }
        try reader.db.forEachRow("SELECT lead_id, start_time FROM calls WHERE start_time > ? ORDER BY start_time",
                                 [.int(now - DialingRules.capWindowMillis)]) {
            record(leadId: $0.string(at: 0), at: $0.int(at: 1))
        }
    }
}
