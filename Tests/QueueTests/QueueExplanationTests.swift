/// Issue 17's counting and headline, without the daemon: the scheduler's census stays equal to a
/// recount through random upserts, holds, parks, removals and time passing; `QueueExplanation`
/// picks the headline reason (queue-wide blockers of ready leads first, else the biggest group)
/// and says it in one line.

import XCTest
import Shared
@testable import queue_daemon

final class QueueExplanationTests: XCTestCase {
    let now: Int64 = 1_000_000

    private func recount(_ scheduler: LeadScheduler, ids: Set<LeadID>, now: Int64) -> [String: [Int]] {
        var counts: [String: [Int]] = [:]
        for id in ids {
            guard let e = scheduler.entry(id: id) else { continue }
            var row = counts[e.zones] ?? [0, 0, 0, 0, 0]
            if e.dueAt <= now { row[0] += 1 } else { row[1 + Int(e.hold.rawValue)] += 1 }
            counts[e.zones] = row
        }
        return counts
    }

    func testCensusFollowsEveryChange() {
        var rng = SystemRandomNumberGenerator()
        let scheduler = LeadScheduler()
        var ids: Set<LeadID> = []
        var t = now
        let zones = ["", "Asia/Tashkent", "America/New_York"]
        for step in 0..<3000 {
            let id = String(format: "%024x", Int.random(in: 0..<200, using: &rng))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...4:
                let hold = SchedulerHold(rawValue: UInt8.random(in: 0...2, using: &rng))!
                scheduler.upsert(SchedulerEntry(id: id, priority: .medium, createdAt: t - 10,
                                                dueAt: t + Int64.random(in: -50...200, using: &rng),
                                                zones: zones.randomElement(using: &rng)!, hold: hold))
                ids.insert(id)
            case 5:
                if let e = scheduler.entry(id: id) { scheduler.upsert(e.parked()) }
            case 6, 7:
                scheduler.remove(id: id)
                ids.remove(id)
            case 8:
                _ = scheduler.popNext(now: t).map { ids.remove($0.id) }
            default:
                t += Int64.random(in: 0...40, using: &rng)
            }
            if step % 50 == 0 {
                let census = scheduler.census(now: t)
                var got: [String: [Int]] = [:]
                for (zone, c) in census where c.total > 0 {
                    got[zone] = [c.due] + SchedulerHold.allCases.map { c.waiting($0) }
                }
                XCTAssertEqual(got, recount(scheduler, ids: ids, now: t), "step \(step)")
            }
        }
        XCTAssertNil(LeadScheduler().nextDueTime(now: now))
        let parkedOnly = LeadScheduler()
        parkedOnly.upsert(SchedulerEntry(id: "a", priority: .low, createdAt: 0).parked())
        XCTAssertNil(parkedOnly.nextDueTime(now: now), "a parked lead never arms the wake timer")
        XCTAssertNil(parkedOnly.next(now: .max - 1))
    }

    private func explanation(_ change: (inout QueueExplanation) -> Void) -> QueueExplanation {
        var e = QueueExplanation()
        e.maxLines = 5
        e.operators = [.available: 2]
        change(&e)
        return e
    }

    func testHeadlineReason() {
        let cases: [(QueueExplanation, String?, Bool, UInt)] = [
            (explanation { _ in }, "no_pending_leads", false, #line),
            (explanation { $0.ready = 3 }, nil, false, #line),
            (explanation { $0.ready = 3; $0.paused = true }, "paused", true, #line),
            (explanation { $0.byFirstReason = [.retryWait: 2]; $0.paused = true }, "paused", true, #line),
            (explanation { $0.ready = 3; $0.dialerReady = false }, "dialer_unavailable", true, #line),
            (explanation { $0.ready = 3; $0.linesInUse = 5 }, "waiting_for_line", false, #line),
            (explanation { $0.ready = 3; $0.operatorAvailable = false }, "waiting_for_operator", true, #line),
            (explanation { $0.byFirstReason = [.outsideCallingHours: 7210, .doNotCall: 3] }, "outside_calling_hours", true, #line),
            (explanation { $0.byFirstReason = [.doNotCall: 3, .dailyCap: 3] }, "do_not_call", true, #line),
            (explanation { $0.byFirstReason = [.retryWait: 2]; $0.linesInUse = 1 }, "retry_wait", false, #line),
        ]
        for (e, reason, idle, line) in cases {
            XCTAssertEqual(e.reason, reason, line: line)
            XCTAssertEqual(e.idle, idle, line: line)
        }
    }

    func testMessageSaysWhyInOneLine() {
        let hour: Int64 = 3_600_000
        let e = explanation {
            $0.operators = [.available: 0, .unavailable: 2]
            $0.byFirstReason = [.outsideCallingHours: 7210, .doNotCall: 3]
            $0.nextOpening = .init(at: now + 2 * hour + 14 * 60_000, zones: "Asia/Tashkent", localTime: "Tue 09:00 in Asia/Tashkent")
        }
        XCTAssertEqual(e.message(now: now), "Nothing can dial: 3 on the do-not-call list; 7,210 outside calling hours — "
                       + "next opening Tue 09:00 in Asia/Tashkent in 2 h 14 min; lines 0/5; 0 operators available")
        XCTAssertEqual(QueueExplanation.duration(45_000), "45 s")
        XCTAssertEqual(QueueExplanation.duration(3 * 24 * hour + hour), "3 d 1 h")
        XCTAssertEqual(QueueExplanation.number(1_234_567), "1,234,567")
    }
}
