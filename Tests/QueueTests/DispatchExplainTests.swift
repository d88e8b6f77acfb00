/// Issue 17 in the running queue-daemon (dispatch harness, manual clock): `queue.explain` counts
/// the leads that differ from their zone group exactly (a number at the daily cap, a booked
/// call-back), `queue.explain_leads` gives each lead the reasons dispatch acts on, and
/// `event.queue_explained` goes out when the headline reason changes.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchExplainTests: XCTestCase {
    private func explanation(_ h: DispatchHarness) -> JSONObject {
        h.ok("queue.explain", [:])["explanation"]?.object ?? [:]
    }

    private func count(_ e: JSONObject, _ reason: String) -> Int64? {
        e["pending"]?.object?["byFirstReason"]?.object?[reason]?.int
    }

    private func reasons(_ h: DispatchHarness, _ id: String) -> [String] {
        let d = h.ok("queue.explain_leads", ["leadIds": [.string(id)]])["dialability"]?.object?[id]?.object
        return d?["reasons"]?.array?.compactMap { $0.object?["reason"]?.string } ?? []
    }

    func testCappedNumbersAndCallBacksAreCountedApartFromTheirGroup() throws {
        let h = try DispatchHarness(environment: ["IBRAT_CALLING_HOURS": "00:00-24:00"])
        let plain = h.lead(), capped = h.lead(), booked = h.lead()
        let now = h.clock.nowMillis()
        for ago in [3, 2, 1] as [Int64] { h.dispatcher.gate.recentCalls.record(leadId: capped, at: now - ago * 60_000) }
        // A call-back booked for an operator in an hour, as the disposition path leaves it.
        let op = try h.addOperator(available: false)
        try h.daemon.db.run("UPDATE leads SET callback_operator = ?, callback_at = ?, next_call_time = ? WHERE id = ?",
                            [.text(op), .int(now + 3_600_000), .int(now + 3_600_000), .text(booked)])
        h.dispatcher.scheduler.remove(id: booked)
        h.dispatcher.callbacks.sync(try XCTUnwrap(h.daemon.store.record(id: booked)))

        let e = explanation(h)
        XCTAssertEqual(e["pending"]?.object?["total"]?.int, 3)
        XCTAssertEqual(e["pending"]?.object?["ready"]?.int, 1)
        XCTAssertEqual(count(e, "daily_cap"), 1)
        XCTAssertEqual(count(e, "callback_reserved"), 1)
        XCTAssertEqual(e["reason"]?.string, "waiting_for_operator")
        XCTAssertEqual(reasons(h, plain), ["waiting_for_operator"])
        XCTAssertEqual(reasons(h, capped), ["daily_cap", "waiting_for_operator"])
        XCTAssertEqual(reasons(h, booked), ["callback_reserved"])
        let unknown = h.ok("queue.explain_leads", ["leadIds": ["000000000000000000000000"]])["dialability"]?.object
        XCTAssertEqual(unknown, [:])
        h.base.fails("queue.explain_leads", ["leadIds": .string("x")], status: 400, code: "validation_failed")
        let many = JSON.array((0...QueueExplainer.maxLeadsPerRequest).map { _ in JSON.string(plain) })
        h.base.fails("queue.explain_leads", ["leadIds": many], status: 400, code: "validation_failed")
    }

    func testHeadlineChangesArePublished() throws {
        let h = try DispatchHarness(environment: ["IBRAT_CALLING_HOURS": "00:00-24:00"])
        h.lead()
        h.wait("the first explanation") { h.events("event.queue_explained").last?["reason"]?.string == "waiting_for_operator" }
        let published = h.events("event.queue_explained").count
        _ = try h.addOperator()
        _ = h.waitForStarts(1)
        h.wait("the headline to change") {
            h.events("event.queue_explained").last?["previousReason"]?.string == "waiting_for_operator"
        }
        let last = try XCTUnwrap(h.events("event.queue_explained").last)
        XCTAssertEqual(last["dialing"]?.bool, true)
        XCTAssertGreaterThan(h.events("event.queue_explained").count, published)
        XCTAssertEqual(explanation(h)["lines"]?.object?["inUse"]?.int, 1)
    }
}
