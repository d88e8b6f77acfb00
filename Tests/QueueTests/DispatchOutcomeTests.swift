/// Call outcomes reported by the (fake) dialer applied to leads: answered → transferred with
/// `event.lead_assigned`, retries with their backoffs on an injected clock and the wake timer,
/// max attempts → failed, canceled, duplicates and stale reports applied once or not at all.

import XCTest
@testable import Shared
@testable import queue_daemon

final class DispatchOutcomeTests: XCTestCase {
    func testAnsweredLeadIsTransferredToTheReservedOperatorWithLeadAssigned() throws {
        let h = try DispatchHarness()
        _ = h.base.defaultClient
        let op = try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let call = h.dialer.startedCallIds[0]
        h.dialer.report(call, .ringing)
        h.dialer.report(call, .answered)
        h.wait("transfer") { h.status(lead) == "transferred" }
        XCTAssertEqual(h.row(lead)?.optionalString("assigned_to"), op)
        h.wait("lead_assigned") { !h.events("event.lead_assigned").isEmpty }
        let assigned = h.events("event.lead_assigned")[0]
        XCTAssertEqual(assigned["operatorId"]?.string, op)
        XCTAssertEqual(assigned["callId"]?.string, call)
        XCTAssertEqual(assigned["lead"]?["status"]?.string, "transferred")
        let steps = try h.base.query("SELECT to_status FROM lead_events WHERE lead_id = ? ORDER BY id", [.text(lead)])
        XCTAssertEqual(steps.map { $0.string(at: 0) }, ["pending", "calling", "answered", "transferred"])
        XCTAssertNotNil(h.dispatcher.liveCalls.call(id: call), "the operator is still talking: line and operator busy")
        XCTAssertEqual(h.dispatcher.operators.freeCount, 0)
        h.end(call, .completed)
        XCTAssertEqual(h.status(lead), "transferred")
        XCTAssertEqual(h.dispatcher.operators.freeCount, 1)
        XCTAssertEqual(try h.base.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(lead)]), 4,
                       "completed after the transfer changes nothing")
    }

    func testAnsweredCallCutByTheDialerRetriesTheLeadWithTheAttemptCounted() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_FAILED": "300"])
        let (lead, call) = try h.transferredLead()
        h.dialer.report(call, .failed)  // the dialer stopped during the conversation (previousStatus answered)
        h.wait("retry") { h.status(lead) == "pending" }
        XCTAssertEqual(h.attempts(lead), 1)
        XCTAssertTrue(h.lastReason(lead).contains("cut after the answer"), h.lastReason(lead))
        XCTAssertNotNil(h.row(lead)?.optionalInt("next_call_time"))
    }

    func testCompletedWithoutAnsweredReportStillTransfers() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.end(h.dialer.startedCallIds[0], .completed)
        XCTAssertEqual(h.status(lead), "transferred")
    }

    func testBusyRetriesAfterBackoffOnTheWakeTimerAndFailsAfterMaxAttempts() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_BUSY": "900", "IBRAT_MAX_ATTEMPTS": "3"])
        try h.addOperator()
        let lead = h.lead(.high)
        for attempt in 1...3 {
            h.waitForStarts(attempt)
            let now = h.clock.nowMillis()
            h.end(h.dialer.startedCallIds[attempt - 1], .busy)
            XCTAssertEqual(h.attempts(lead), Int64(attempt))
            if attempt < 3 {
                XCTAssertEqual(h.status(lead), "pending")
                XCTAssertEqual(h.row(lead)?.optionalInt("next_call_time"), now + 900_000)
                XCTAssertEqual(h.dispatcher.wakeArmedFor, now + 900_000, "one timer for the next due lead")
                h.clock.advance(byMillis: 899_999)
                h.dispatcher.wakeTimerFired()
                h.settle()
                XCTAssertEqual(h.dialer.starts.count, attempt, "not before the backoff")
                h.clock.advance(byMillis: 1)
                h.dispatcher.wakeTimerFired()
            }
        }
        XCTAssertEqual(h.status(lead), "failed")
        XCTAssertNil(h.dispatcher.wakeArmedFor)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 3)
    }

    func testNoAnswerAndFailedUseTheirOwnBackoffs() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_NO_ANSWER": "1800", "IBRAT_BACKOFF_FAILED": "300",
                                                  "IBRAT_MAX_CONCURRENT_CALLS": "2"])
        try h.addOperator()
        try h.addOperator()
        let a = h.lead(.urgent)
        let b = h.lead(.urgent)
        h.waitForStarts(2)
        let now = h.clock.nowMillis()
        let callFor = Dictionary(uniqueKeysWithValues: zip(h.dialer.startedLeadIds, h.dialer.startedCallIds))
        h.end(callFor[a] ?? "", .noAnswer)
        h.end(callFor[b] ?? "", .failed)
        XCTAssertEqual(h.row(a)?.optionalInt("next_call_time"), now + 1_800_000)
        XCTAssertEqual(h.row(b)?.optionalInt("next_call_time"), now + 300_000)
        XCTAssertEqual(h.dispatcher.wakeArmedFor, now + 300_000)
    }

    func testCanceledCountsNoAttempt() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.end(h.dialer.startedCallIds[0], .canceled)
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertEqual(h.attempts(lead), 0)
        XCTAssertNotNil(h.row(lead)?.optionalInt("next_call_time"))
    }

    func testDuplicateOutcomeIsAppliedOnce() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let call = h.dialer.startedCallIds[0]
        h.end(call, .busy)
        let events = try h.base.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(lead)])
        for _ in 0..<3 { h.dialer.publish(h.dialer.call(call), previous: .ringing) }
        h.settle()
        XCTAssertEqual(h.attempts(lead), 1, "a resent busy report never counts twice")
        XCTAssertEqual(try h.base.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ?", [.text(lead)]), events)
        XCTAssertTrue(h.base.logs.lines.contains { $0.contains("duplicate call report ignored") })
    }

    func testReportAboutAnOlderCallOfTheLeadIsIgnored() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_BUSY": "0"])
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        let old = h.dialer.startedCallIds[0]
        h.end(old, .busy)
        h.waitForStarts(2)
        XCTAssertEqual(h.status(lead), "calling")
        let stale = ObjectID.generate(nowMillis: 0)
        var report = h.dialer.call(old)
        report["id"] = .string(stale)
        report["_id"] = .string(stale)
        report["status"] = "no-answer"
        h.dialer.publish(report, previous: .ringing)
        h.settle()
        XCTAssertEqual(h.status(lead), "calling", "a report about another call leaves the current call alone")
        XCTAssertEqual(h.attempts(lead), 1)
    }

    func testMalformedEventsAreIgnored() throws {
        let h = try DispatchHarness()
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        var bad = h.dialer.call(h.dialer.startedCallIds[0])
        bad["status"] = "exploded"
        h.dialer.publish(bad, previous: nil)
        h.dialer.server?.publish(type: "event.call_status_changed", body: ["call": "nonsense"])
        h.settle()
        XCTAssertEqual(h.status(lead), "calling")
        XCTAssertTrue(h.base.logs.lines.contains { $0.contains("malformed event.call_status_changed") })
    }
}
