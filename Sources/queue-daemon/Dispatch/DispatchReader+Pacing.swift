/// The abandon-rate window's start-up read (issue 14): per UTC day of the answer, the automatic
/// calls a person answered (every call with an `answer_time` except machines) and those that
/// ended `abandoned`, from `calls` (the dialer's table, read-only here). This is how the 30-day
/// figures survive a queue-daemon restart without a table of their own.

import Shared

extension DispatchReader {
    func abandonCounts(since: Int64) throws -> [Int64: AbandonRateWindow.DayCounts] {
        guard try tableExists("calls") else { return [:] }
        var counts: [Int64: AbandonRateWindow.DayCounts] = [:]
        try db.forEachRow(AbandonRateSQL.countsPerDaySince, [.int(since)]) { row in
            counts[row.int(at: 0)] = AbandonRateWindow.DayCounts(answered: Int(row.int(at: 1)),
                                                                  abandoned: Int(row.int(at: 2)))
        }
        return counts
    }
}
