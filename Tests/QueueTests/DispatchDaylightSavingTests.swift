/// Calling hours across daylight-saving transitions, through the running queue-daemon (real
/// dispatcher and SQLite, fake dialer, manual clock): a lead in America/New_York created on the
/// Saturday evening before a transition, with calling hours 09:00–20:00, is held overnight and
/// dialed at 09:00 *local* time on Sunday — 13:00Z after the spring-forward (EDT, UTC−4) and
/// 14:00Z after the fall-back (EST, UTC−5) — not a second before. A window computed with the
/// offset of the evening before would open an hour late (spring) or early (autumn).

import XCTest
import Shared
@testable import queue_daemon

final class DispatchDaylightSavingTests: XCTestCase {
    private func at(_ iso: String) -> Int64 { Timestamp.parseISO8601(iso)! }

    private func checkOpening(createdAt: String, opensAt: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let h = try DispatchHarness(environment: ["IBRAT_CALLING_HOURS": "09:00-20:00"])
        h.clock.now = at(createdAt)
        let op = try h.addOperator()
        let lead = h.base.createLead(phone: "+12125550100", priority: "urgent",
                                     extra: ["timezone": "America/New_York"])["id"]?.string ?? ""
        let replan = { h.ok("queue.operator_changed", ["userId": .string(op)]); h.settle() }
        replan()
        XCTAssertEqual(h.dialer.starts.count, 0, "20:30 local on Saturday is outside the window", file: file, line: line)
        h.clock.now = at(opensAt) - 1_000
        replan()
        XCTAssertEqual(h.dialer.starts.count, 0, "08:59:59 local: still closed", file: file, line: line)
        h.clock.now = at(opensAt)
        replan()
        h.waitForStarts(1, file: file, line: line)
        XCTAssertEqual(h.status(lead), "calling", file: file, line: line)
    }

    func testSpringForwardOpensAtNineEDT() throws {
        // 2026-03-08 02:00 EST → 03:00 EDT. Saturday 20:30 EST = 01:30Z; Sunday 09:00 EDT = 13:00Z.
        try checkOpening(createdAt: "2026-03-08T01:30:00.000Z", opensAt: "2026-03-08T13:00:00.000Z")
    }

    func testFallBackOpensAtNineEST() throws {
        // 2026-11-01 02:00 EDT → 01:00 EST. Saturday 20:30 EDT = 00:30Z; Sunday 09:00 EST = 14:00Z.
        try checkOpening(createdAt: "2026-11-01T00:30:00.000Z", opensAt: "2026-11-01T14:00:00.000Z")
    }
}
