/// `LeadScheduler` ordering tables: priority SLAs as earliest-deadline-first, ties oldest first,
/// low only when idle, future leads, updates, removal, SLA-miss counting and `sync`.

import XCTest
import Shared
@testable import queue_daemon

final class LeadSchedulerTests: XCTestCase {
    let now: Int64 = 10_000_000
    let minute: Int64 = 60_000

    private func drain(_ s: LeadScheduler, at now: Int64) -> [LeadID] {
        var ids: [LeadID] = []
        while let e = s.popNext(now: now) { ids.append(e.id) }
        return ids
    }

    private func scheduler(_ entries: [SchedulerEntry]) -> LeadScheduler {
        let s = LeadScheduler()
        entries.forEach(s.upsert)
        return s
    }

    func testFreshLeadsGoUrgentHighMediumLow() {
        let s = scheduler([
            SchedulerEntry(id: "low", priority: .low, createdAt: now - 4),
            SchedulerEntry(id: "medium", priority: .medium, createdAt: now - 3),
            SchedulerEntry(id: "high", priority: .high, createdAt: now - 2),
            SchedulerEntry(id: "urgent", priority: .urgent, createdAt: now - 1),
        ])
        XCTAssertEqual(drain(s, at: now), ["urgent", "high", "medium", "low"])
    }

    func testEarliestDeadlineFirstAcrossPriorities() {
        // id       priority  due         deadline
        // urgent   urgent    now         now
        // high3    high      now-3m      now-1m   → before the fresh urgent
        // med11    medium    now-11m     now-1m   → same deadline as high3, older → first
        // high1    high      now-1m      now+1m
        // med5     medium    now-5m      now+5m
        let s = scheduler([
            SchedulerEntry(id: "urgent", priority: .urgent, createdAt: now),
            SchedulerEntry(id: "high3", priority: .high, createdAt: now - 3 * minute),
            SchedulerEntry(id: "med11", priority: .medium, createdAt: now - 11 * minute),
            SchedulerEntry(id: "high1", priority: .high, createdAt: now - minute),
            SchedulerEntry(id: "med5", priority: .medium, createdAt: now - 5 * minute),
        ])
        XCTAssertEqual(drain(s, at: now), ["med11", "high3", "urgent", "high1", "med5"])
    }

    func testTiesOldestFirstThenId() {
        let s = scheduler([
            SchedulerEntry(id: "b", priority: .urgent, createdAt: now - 5, nextCallTime: now - 1),
            SchedulerEntry(id: "a", priority: .urgent, createdAt: now - 5, nextCallTime: now - 1),
            SchedulerEntry(id: "c", priority: .urgent, createdAt: now - 9, nextCallTime: now - 1),
            SchedulerEntry(id: "d", priority: .urgent, createdAt: now - 1),
        ])
        XCTAssertEqual(drain(s, at: now), ["c", "a", "b", "d"])
    }

    func testLowWaitsWhileAnyOtherLeadIsDue() {
        let s = scheduler([
            SchedulerEntry(id: "old-low", priority: .low, createdAt: now - 600 * minute),
            SchedulerEntry(id: "new-medium", priority: .medium, createdAt: now),
            SchedulerEntry(id: "future-urgent", priority: .urgent, createdAt: now - minute, nextCallTime: now + minute),
        ])
        XCTAssertEqual(s.popNext(now: now)?.id, "new-medium")
        XCTAssertEqual(s.popNext(now: now)?.id, "old-low", "a lead that is not due yet does not block low")
        XCTAssertNil(s.popNext(now: now))
        XCTAssertEqual(s.popNext(now: now + minute)?.id, "future-urgent")
    }

    func testLowLeadsAmongThemselvesEarliestDueThenOldest() {
        let s = scheduler([
            SchedulerEntry(id: "retried", priority: .low, createdAt: now - 50, nextCallTime: now - 5),
            SchedulerEntry(id: "older", priority: .low, createdAt: now - 40),
            SchedulerEntry(id: "newer", priority: .low, createdAt: now - 30),
        ])
        XCTAssertEqual(drain(s, at: now), ["older", "newer", "retried"])
    }

    func testFutureLeadsBecomeDueAndArmTheTimer() {
        let s = scheduler([
            SchedulerEntry(id: "in2", priority: .urgent, createdAt: now - 1, nextCallTime: now + 2 * minute),
            SchedulerEntry(id: "in1", priority: .low, createdAt: now - 1, nextCallTime: now + minute),
            SchedulerEntry(id: "due", priority: .medium, createdAt: now - 1),
        ])
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s.dueCount(now: now), 1)
        XCTAssertEqual(s.nextDueTime(now: now), now + minute)
        XCTAssertEqual(s.popNext(now: now)?.id, "due")
        XCTAssertNil(s.next(now: now + minute - 1))
        XCTAssertEqual(s.next(now: now + minute)?.id, "in1")
        XCTAssertEqual(s.nextDueTime(now: now + minute), now + 2 * minute)
        XCTAssertEqual(s.dueCount(.low, now: now + 2 * minute), 1)
        XCTAssertEqual(drain(s, at: now + 2 * minute), ["in2", "in1"])
        XCTAssertNil(s.nextDueTime(now: now + 2 * minute))
        XCTAssertEqual(s.count, 0)
    }

    func testRemovalAndUpdate() {
        let s = scheduler([
            SchedulerEntry(id: "a", priority: .low, createdAt: now - 3),
            SchedulerEntry(id: "b", priority: .medium, createdAt: now - 2),
            SchedulerEntry(id: "c", priority: .medium, createdAt: now - 1),
        ])
        XCTAssertEqual(s.dueCount(now: now), 3)
        XCTAssertEqual(s.remove(id: "b")?.id, "b")
        XCTAssertNil(s.remove(id: "b"))
        XCTAssertFalse(s.contains(id: "b"))
        XCTAssertEqual(s.dueCount(now: now), 2)
        s.upsert(SchedulerEntry(id: "a", priority: .urgent, createdAt: now - 3))
        XCTAssertEqual(s.entry(id: "a")?.priority, .urgent)
        XCTAssertEqual(s.count, 2)
        XCTAssertEqual(s.next(now: now)?.id, "a")
        // A due lead pushed into the future (retry backoff) stops being due.
        s.upsert(SchedulerEntry(id: "a", priority: .urgent, createdAt: now - 3, nextCallTime: now + minute))
        XCTAssertEqual(s.dueCount(now: now), 1)
        XCTAssertEqual(s.nextDueTime(now: now), now + minute)
        XCTAssertEqual(drain(s, at: now), ["c"])
        s.removeAll()
        XCTAssertEqual(s.count, 0)
        XCTAssertNil(s.next(now: now + minute))
    }

    func testSlaMissesAreCountedPerPriority() {
        let tolerance = LeadScheduler.slaToleranceMillis
        XCTAssertEqual(tolerance, 1000)
        let s = scheduler([
            SchedulerEntry(id: "u-on-time", priority: .urgent, createdAt: now),
            SchedulerEntry(id: "u-within-tolerance", priority: .urgent, createdAt: now - tolerance),
            SchedulerEntry(id: "u-late", priority: .urgent, createdAt: now - tolerance - 1),
            SchedulerEntry(id: "h-late", priority: .high, createdAt: now - 2 * minute - tolerance - 1),
            SchedulerEntry(id: "h-ok", priority: .high, createdAt: now - 2 * minute),
            SchedulerEntry(id: "m-ok", priority: .medium, createdAt: now - 9 * minute),
            SchedulerEntry(id: "l", priority: .low, createdAt: now - 9999 * minute),
        ])
        XCTAssertEqual(drain(s, at: now).count, 7)
        XCTAssertEqual(s.slaMisses(.urgent), 1)
        XCTAssertEqual(s.slaMisses(.high), 1)
        XCTAssertEqual(s.slaMisses(.medium), 0)
        XCTAssertEqual(s.slaMisses(.low), 0, "low has no SLA")
        XCTAssertEqual(s.slaMissCount, 2)
        XCTAssertEqual(s.dispatchCount, 7)
        XCTAssertEqual(s.dispatchCount(.high), 2)
        s.resetStatistics()
        XCTAssertEqual(s.slaMissCount, 0)
        XCTAssertEqual(s.dispatchCount, 0)
    }

    func testRemovalIsNotADispatch() {
        let s = scheduler([SchedulerEntry(id: "a", priority: .urgent, createdAt: now - minute)])
        s.remove(id: "a")
        XCTAssertEqual(s.slaMissCount, 0)
        XCTAssertEqual(s.dispatchCount, 0)
    }

    func testSyncFollowsDispatchability() {
        let s = LeadScheduler()
        var lead = LeadSnapshot(id: "x", status: .pending, priority: .high, createdAt: now - 10)
        s.sync(lead)
        XCTAssertTrue(s.contains(id: "x"))
        lead.status = .claimed
        lead.assignedTo = "op1"
        s.sync(lead)
        XCTAssertFalse(s.contains(id: "x"), "claimed leads are never auto-dialled")
        lead.status = .pending
        lead.assignedTo = nil
        lead.nextCallTime = now + minute
        s.sync(lead)
        XCTAssertEqual(s.entry(id: "x")?.dueAt, now + minute)
        lead.isActive = false
        s.sync(lead)
        XCTAssertFalse(s.contains(id: "x"), "soft-deleted leads are never auto-dialled")
        XCTAssertNil(SchedulerEntry(lead: LeadSnapshot(id: "y", status: .failed, createdAt: 0)))
    }

    func testDueAtIsTheLaterOfCreationAndNextCallTime() {
        XCTAssertEqual(SchedulerEntry(id: "a", priority: .high, createdAt: 50, nextCallTime: 10).dueAt, 50)
        XCTAssertEqual(SchedulerEntry(id: "a", priority: .high, createdAt: 50, nextCallTime: 90).dueAt, 90)
        XCTAssertEqual(SchedulerEntry(id: "a", priority: .high, createdAt: 50).deadline, 120_050)
        XCTAssertNil(SchedulerEntry(id: "a", priority: .low, createdAt: 50).deadline)
        XCTAssertEqual(SchedulerEntry(id: "a", priority: .medium, createdAt: Int64.max - 1).deadline, Int64.max)
    }
}

/// Issue 10: the scheduler keeps ids as 24-byte keys (no String per lead) and gives them back
/// exactly; ids that do not fit take the side table and behave the same.
final class LeadSchedulerIdKeyTests: XCTestCase {
    func testIdsComeBackExactlyWhateverTheirLength() {
        let s = LeadScheduler()
        let ids = ["6571f0a9c3b1e4d5f6a7b8ca", "a", "", String(repeating: "x", count: 24),
                   String(repeating: "y", count: 30), String(repeating: "y", count: 24) + "z"]
        for (i, id) in ids.enumerated() {
            s.upsert(SchedulerEntry(id: id, priority: .urgent, createdAt: Int64(i)))
        }
        XCTAssertEqual(s.count, ids.count, "ids sharing their first 24 bytes stay distinct")
        for id in ids { XCTAssertEqual(s.entry(id: id)?.id, id) }
        var popped: [String] = []
        while let entry = s.popNext(now: 100) { popped.append(entry.id) }
        XCTAssertEqual(popped, ids, "urgent, oldest first")
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(LeadIDOrderKey(exactly: "6571f0a9c3b1e4d5f6a7b8ca")?.text, "6571f0a9c3b1e4d5f6a7b8ca")
        XCTAssertNil(LeadIDOrderKey(exactly: String(repeating: "y", count: 25)))
    }
}
