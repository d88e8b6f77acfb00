/// `LeadScheduler` against a brute-force reference model under random upserts, removals, time
/// steps and pops; plus a 100,000-lead run and the bound on stale heap nodes under churn.

import XCTest
import Shared
@testable import queue_daemon

/// The obviously-correct O(n) version of the dispatch rule.
private struct ReferenceScheduler {
    var entries: [LeadID: SchedulerEntry] = [:]

    func next(now: Int64) -> SchedulerEntry? {
        let due = entries.values.filter { $0.dueAt <= now }
        let withSla = due.filter { $0.deadline != nil }
        if let best = withSla.min(by: { ($0.deadline ?? 0, $0.createdAt, $0.id) < ($1.deadline ?? 0, $1.createdAt, $1.id) }) {
            return best
        }
        return due.min { ($0.dueAt, $0.createdAt, $0.id) < ($1.dueAt, $1.createdAt, $1.id) }
    }

    func nextDueTime(now: Int64) -> Int64? { entries.values.map(\.dueAt).filter { $0 > now }.min() }
    func dueCount(now: Int64) -> Int { entries.values.filter { $0.dueAt <= now }.count }
}

final class LeadSchedulerModelTests: XCTestCase {
    private func randomEntry(_ rng: inout SeededRandom, id: LeadID, now: Int64) -> SchedulerEntry {
        let priority = LeadPriority.allCases[Int(rng.next() % 4)]
        let createdAt = now - Int64(rng.next() % 1_200_000)
        let nextCallTime: Int64? = rng.next() % 3 == 0 ? now + Int64(rng.next() % 600_000) - 200_000 : nil
        return SchedulerEntry(id: id, priority: priority, createdAt: createdAt, nextCallTime: nextCallTime)
    }

    func testMatchesReferenceUnderRandomOperations() {
        var rng = SeededRandom(seed: 42)
        let real = LeadScheduler()
        var model = ReferenceScheduler()
        var now: Int64 = 50_000_000
        var pops = 0
        for step in 0..<6000 {
            let id = "lead\(rng.next() % 250)"
            switch rng.next() % 10 {
            case 0...3:
                let e = randomEntry(&rng, id: id, now: now)
                real.upsert(e)
                model.entries[id] = e
            case 4:
                XCTAssertEqual(real.remove(id: id), model.entries.removeValue(forKey: id), "step \(step)")
            case 5:
                now += Int64(rng.next() % 90_000)
            case 6:
                XCTAssertEqual(real.nextDueTime(now: now), model.nextDueTime(now: now), "step \(step)")
                XCTAssertEqual(real.dueCount(now: now), model.dueCount(now: now), "step \(step)")
            default:
                let expected = model.next(now: now)
                XCTAssertEqual(real.popNext(now: now), expected, "step \(step)")
                if let e = expected {
                    model.entries[e.id] = nil
                    pops += 1
                }
            }
            XCTAssertEqual(real.count, model.entries.count)
            if step % 1000 == 999 { real.replaceAll(with: Array(model.entries.values)) }
        }
        XCTAssertGreaterThan(pops, 500, "the random walk must actually exercise dispatch")
    }

    func testHundredThousandLeadsInsertAndDrainInOrder() {
        var rng = SeededRandom(seed: 9)
        let s = LeadScheduler()
        let now: Int64 = 100_000_000
        for i in 0..<100_000 {
            let hex = String(i, radix: 16)
            s.upsert(randomEntry(&rng, id: String(repeating: "0", count: 24 - hex.count) + hex, now: now))
        }
        XCTAssertEqual(s.count, 100_000)
        let later = now + 1_000_000
        XCTAssertEqual(s.dueCount(now: later), 100_000)
        var lastSlaKey: (Int64, Int64, LeadID)?
        var lastLowKey: (Int64, Int64, LeadID)?
        var popped = 0, outOfOrder = 0, slaAfterLow = 0
        while let e = s.popNext(now: later) {
            popped += 1
            if let deadline = e.deadline {
                if lastLowKey != nil { slaAfterLow += 1 }
                let key = (deadline, e.createdAt, e.id)
                if let last = lastSlaKey, key < last { outOfOrder += 1 }
                lastSlaKey = key
            } else {
                let key = (e.dueAt, e.createdAt, e.id)
                if let last = lastLowKey, key < last { outOfOrder += 1 }
                lastLowKey = key
            }
        }
        XCTAssertEqual(popped, 100_000)
        XCTAssertEqual(outOfOrder, 0)
        XCTAssertEqual(slaAfterLow, 0, "no SLA lead may come after a low lead while it is due")
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(s.dispatchCount, 100_000)
    }

    func testChurnKeepsStaleNodesBounded() {
        let s = LeadScheduler()
        var rng = SeededRandom(seed: 3)
        let now: Int64 = 1_000_000
        for round in 0..<20_000 {
            let id = "l\(round % 100)"
            s.upsert(randomEntry(&rng, id: id, now: now))
            if round % 7 == 0 { s.remove(id: "l\(rng.next() % 100)") }
            if round % 11 == 0 { _ = s.next(now: now) }
        }
        XCTAssertLessThanOrEqual(s.heapNodeCount, 2 * s.count + 1024 + 1, "the compaction slack")
        var seen = Set<LeadID>()
        while let e = s.popNext(now: now + 10_000_000) { XCTAssertTrue(seen.insert(e.id).inserted, "popped twice") }
        XCTAssertEqual(s.count, 0)
    }

    func testReplaceAllRebuildsAtStartup() {
        let s = LeadScheduler()
        s.upsert(SchedulerEntry(id: "gone", priority: .urgent, createdAt: 0))
        s.replaceAll(with: [
            SchedulerEntry(id: "b", priority: .high, createdAt: 10),
            SchedulerEntry(id: "a", priority: .urgent, createdAt: 20),
            SchedulerEntry(id: "b", priority: .low, createdAt: 10),
            SchedulerEntry(id: "f", priority: .urgent, createdAt: 20, nextCallTime: 500),
        ])
        XCTAssertEqual(s.count, 3)
        XCTAssertFalse(s.contains(id: "gone"))
        XCTAssertEqual(s.entry(id: "b")?.priority, .low, "a later duplicate wins")
        XCTAssertEqual(s.dueCount(now: 100), 2)
        XCTAssertEqual(s.nextDueTime(now: 100), 500)
        XCTAssertEqual(s.popNext(now: 100)?.id, "a")
        XCTAssertEqual(s.popNext(now: 100)?.id, "b")
        XCTAssertNil(s.popNext(now: 100))
        XCTAssertEqual(s.popNext(now: 500)?.id, "f")
    }

    func testIdOrderKeyOrdersLikeTheString() {
        var rng = SeededRandom(seed: 5)
        let hex = Array("0123456789abcdef")
        var ids = ["", "a", "ab", "abc", "lead1", "lead10", "lead2", String(repeating: "f", count: 24)]
        for _ in 0..<300 {
            let length = rng.next() % 3 == 0 ? Int(rng.next() % 24) : 24
            ids.append(String((0..<length).map { _ in hex[Int(rng.next() % 16)] }))
        }
        for a in ids {
            for b in ids.prefix(60) {
                XCTAssertEqual(LeadIDOrderKey(a) < LeadIDOrderKey(b), a < b, "\(a) vs \(b)")
            }
        }
        XCTAssertFalse(LeadIDOrderKey(String(repeating: "a", count: 24) + "z") < LeadIDOrderKey(String(repeating: "a", count: 24)))
    }
}
