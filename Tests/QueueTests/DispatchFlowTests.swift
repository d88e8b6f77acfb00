/// Dispatch end to end inside one process (real queue-daemon, fake dialer): priority order, pacing
/// against `maxConcurrentCalls`, operators as the other limit, operator release on outcome, pause
/// and resume, runtime max change, and what the dialer is sent.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchFlowTests: XCTestCase {
    func testUrgentIsDialledFirstThenHighMediumAndLowLast() throws {
        let h = try DispatchHarness()
        let low = h.lead(.low)
        let medium = h.lead(.medium)
        let high = h.lead(.high)
        let urgent = h.lead(.urgent)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 0, "no operator yet")
        try h.addOperator()
        for (index, expected) in [urgent, high, medium, low].enumerated() {
            h.waitForStarts(index + 1)
            XCTAssertEqual(h.dialer.startedLeadIds.last, expected, "call \(index + 1)")
            h.end(h.dialer.startedCallIds[index], .completed)
        }
        XCTAssertEqual(h.dialer.starts.count, 4)
    }

    func testNeverMoreThanMaxConcurrentCallsAndEachEndFreesALine() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "2"])
        for _ in 0..<5 { try h.addOperator() }
        let leads = (0..<6).map { _ in h.lead(.urgent) }
        h.waitForStarts(2)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 2, "two lines only")
        XCTAssertEqual(h.dispatcher.liveCalls.count, 2)
        h.end(h.dialer.startedCallIds[0], .busy)
        h.waitForStarts(3)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 3)
        XCTAssertEqual(Set(h.dialer.startedLeadIds).count, 3, "no lead dialled twice")
        XCTAssertTrue(Set(h.dialer.startedLeadIds).isSubset(of: Set(leads)))
        XCTAssertTrue(h.dispatcher.statusLine.current.hasPrefix("dialing 2/2,"), h.dispatcher.statusLine.current)
    }

    func testNoFreeOperatorMeansNoCallAndTheOperatorIsFreedByTheOutcome() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "5"])
        let first = h.lead(.urgent)
        let second = h.lead(.urgent)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 0)
        let op = try h.addOperator()
        h.waitForStarts(1)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 1, "one operator, one call, though lines are free")
        XCTAssertEqual(h.dialer.starts[0]["operatorId"]?.string, op)
        XCTAssertEqual(h.dialer.starts[0]["mode"]?.string, "automatic")
        XCTAssertEqual(h.dialer.starts[0]["operatorPhone"]?.string, "+998900000001")
        XCTAssertEqual(h.status(first), "calling")
        XCTAssertEqual(h.row(first)?.optionalString("assigned_to"), op)
        h.end(h.dialer.startedCallIds[0], .noAnswer)
        h.waitForStarts(2)
        XCTAssertEqual(h.dialer.startedLeadIds[1], second)
    }

    func testLeastRecentlyBusyOperatorIsChosen() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"])
        let a = try h.addOperator()
        let b = try h.addOperator()
        h.lead(.urgent)
        h.waitForStarts(1)
        let firstOperator = h.dialer.starts[0]["operatorId"]?.string
        h.clock.advance(byMillis: 1000)
        h.end(h.dialer.startedCallIds[0], .busy)
        h.lead(.urgent)
        h.waitForStarts(2)
        let secondOperator = h.dialer.starts[1]["operatorId"]?.string
        XCTAssertNotEqual(firstOperator, secondOperator, "the operator who just hung up waits")
        XCTAssertEqual(Set([firstOperator, secondOperator]), Set([a, b]))
    }

    func testUnavailableOperatorGetsNoCallUntilAvailableAgain() throws {
        let h = try DispatchHarness()
        let op = try h.addOperator(available: false)
        let lead = h.lead(.high)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 0)
        try h.setOperator(op, available: true)
        h.waitForStarts(1)
        XCTAssertEqual(h.dialer.startedLeadIds, [lead])
    }

    func testPauseStopsNewCallsInFlightCallsFinishAndResumeContinues() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"])
        try h.addOperator()
        let first = h.lead(.urgent)
        h.waitForStarts(1)
        h.ok("queue.control", ["action": "pause_queue"])
        let second = h.lead(.urgent)
        h.dialer.report(h.dialer.startedCallIds[0], .answered)
        h.end(h.dialer.startedCallIds[0], .completed)
        h.settle()
        XCTAssertEqual(h.status(first), "transferred", "the in-flight call finished while paused")
        XCTAssertEqual(h.dialer.starts.count, 1, "paused: no new call")
        XCTAssertEqual(h.status(second), "pending")
        XCTAssertTrue(h.dispatcher.statusLine.current.contains("paused=yes"))
        h.ok("queue.control", ["action": "resume_queue"])
        h.waitForStarts(2)
        XCTAssertEqual(h.dialer.startedLeadIds[1], second)
    }

    func testRaisingMaxConcurrentCallsDialsAtOnce() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"])
        for _ in 0..<3 { try h.addOperator() }
        for _ in 0..<3 { h.lead(.medium) }
        h.waitForStarts(1)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 1)
        h.ok("queue.control", ["action": "set_max_concurrent_calls", "value": 3])
        h.waitForStarts(3)
    }

    func testLeadClaimedOrDeletedBeforeItsTurnIsNotDialled() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"])
        let op = try h.addOperator(available: false)
        let claimed = h.lead(.urgent)
        h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(claimed)])
        let free = h.lead(.low)
        try h.setOperator(op, available: true)
        h.waitForStarts(1)
        XCTAssertEqual(h.dialer.startedLeadIds, [free], "claimed leads are never auto-dialled")
        XCTAssertEqual(h.status(claimed), "claimed")
    }

    func testQueueStatusReportsDispatchState() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "3"])
        let op = try h.addOperator()
        let lead = h.lead(.urgent)
        h.lead(.medium)
        h.waitForStarts(1)
        h.clock.advance(byMillis: 2500)
        let reply = h.ok("queue.control", ["action": "get_queue_status"])
        let status = reply["status"]?.object ?? JSONObject()
        XCTAssertEqual(status["activeCalls"]?.int, 1)
        XCTAssertEqual(status["maxConcurrentCalls"]?.int, 3)
        XCTAssertEqual(status["pendingLeads"]?.int, 1)
        XCTAssertEqual(status["waitingLeads"]?.int, 0)
        XCTAssertEqual(status["freeOperators"]?.int, 0)
        XCTAssertEqual(status["dispatched"]?.int, 1)
        XCTAssertEqual(status["slaMisses"]?.object?["total"]?.int, 0)
        XCTAssertEqual(status["isRunning"]?.bool, true)
        let calls = reply["activeCalls"]?.array ?? []
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls.first?["leadId"]?.string, lead)
        XCTAssertEqual(calls.first?["salespersonId"]?.string, op)
        XCTAssertEqual(calls.first?["callId"]?.string, h.dialer.startedCallIds[0])
        XCTAssertEqual(calls.first?["duration"]?.int, 2500)
    }

    func testDispatchWritesLeadEventAndPublishesStatusChange() throws {
        let h = try DispatchHarness()
        _ = h.base.defaultClient
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        h.settle()
        let rows = try h.base.query("SELECT actor, from_status, to_status, reason FROM lead_events WHERE lead_id = ? ORDER BY id",
                                    [.text(lead)])
        XCTAssertEqual(rows.last?.string(at: 0), "system")
        XCTAssertEqual(rows.last?.string(at: 1), "pending")
        XCTAssertEqual(rows.last?.string(at: 2), "calling")
        XCTAssertTrue(rows.last?.string(at: 3).contains(h.dialer.startedCallIds[0]) ?? false)
        let changes = h.events("event.lead_status_changed").filter { $0["lead"]?["id"]?.string == lead }
        XCTAssertEqual(changes.last?["to"]?.string, "calling")
    }
}
