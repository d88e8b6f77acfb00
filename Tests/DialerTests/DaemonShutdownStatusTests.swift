import Foundation
import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// `dialer.status`, the throttled `STATUS=` line, and the SIGTERM path (`shutdown`): live calls end
/// `failed` with `end_reason='shutdown'`, are published, and new commands get 503.
final class DaemonShutdownStatusTests: XCTestCase {
    var harness: DaemonHarness!
    var client: IPCClient!

    override func setUpWithError() throws {
        harness = try DaemonHarness(settings: DaemonHarness.longCalls)
        try harness.start()
        client = harness.connect()
    }

    override func tearDown() { harness.tearDown() }

    private func startCall(_ n: Int, operatorId: String? = Fixture.operatorA) {
        _ = harness.call(harness.request("dialer.start_call",
                                         harness.startBody(callId: Fixture.callId(n), leadId: Fixture.lead(n),
                                                           operatorId: operatorId), on: client))
    }

    func testStatusListsTheActiveCallsOldestFirst() throws {
        startCall(1)
        startCall(2, operatorId: nil)
        let status = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(status["provider"], "simulation")
        XCTAssertEqual(status["activeCount"], 2)
        let calls = try XCTUnwrap(status["activeCalls"]?.array)
        XCTAssertEqual(calls.map { $0["callId"]?.string }, [Fixture.callId(1), Fixture.callId(2)])
        XCTAssertEqual(calls.first?["leadId"]?.string, Fixture.lead(1))
        XCTAssertEqual(calls.first?["operatorId"]?.string, Fixture.operatorA)
        XCTAssertEqual(calls.last?["operatorId"], .null)
        XCTAssertNotNil(calls.first?["status"]?.string)
        let start = try XCTUnwrap(calls.first?["startTime"]?.string)
        XCTAssertNotNil(Timestamp.parseISO8601(start), start)
        XCTAssertTrue(start.hasSuffix("Z") && start.count == 24, start)

        _ = harness.call(harness.request("dialer.hangup", ["callId": .string(Fixture.callId(1))], on: client))
        let after = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(after["activeCount"], 1)
    }

    func testStatusLineFollowsActiveCallsAtMostOncePerInterval() throws {
        startCall(1)
        XCTAssertEqual(harness.notifications, ["READY 0 active calls, provider=simulation"],
                       "a change right after READY waits for the interval")
        XCTAssertTrue(harness.loop.run(until: { self.harness.notifications.count == 2 }, timeout: 1))
        XCTAssertEqual(harness.notifications.last, "STATUS 1 active call, provider=simulation")
        harness.statusClock.advance(by: harness.tuning.statusInterval)
        startCall(2)
        XCTAssertEqual(harness.notifications.last, "STATUS 2 active calls, provider=simulation",
                       "after a quiet interval a change goes out at once")
    }

    func testStatusReporterThrottlesAndSkipsUnchangedText() {
        var sent: [String] = []
        var text = "a"
        let clock = ManualMonotonicClock()
        let reporter = StatusReporter(loop: harness.loop,
                                      notifier: ServiceNotifier(ready: { _ in }, status: { sent.append($0) }, stopping: {}),
                                      minInterval: 0.05, now: clock.reading) { text }
        reporter.changed()
        XCTAssertEqual(sent, ["a"])
        text = "b"
        reporter.changed()
        text = "c"
        reporter.changed()
        XCTAssertEqual(sent, ["a"], "throttled")
        XCTAssertTrue(harness.loop.run(until: { sent.count == 2 }, timeout: 1))
        XCTAssertEqual(sent, ["a", "c"], "one deferred send with the text current then")
        clock.advance(by: 0.05)
        reporter.changed()
        XCTAssertEqual(sent, ["a", "c"], "unchanged text is not resent")
        text = "d"
        reporter.changed()
        XCTAssertEqual(sent, ["a", "c", "d"], "a quiet interval has passed: sent at once")
    }

    func testShutdownEndsLiveCallsPublishesThemAndRefusesNewCommands() throws {
        startCall(1)
        startCall(2)
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon?.provider?.activeCount == 2 }, timeout: 1))
        var done = false
        harness.daemon?.shutdown { done = true }
        XCTAssertEqual(harness.notifications.last, "STOPPING")
        let refused = harness.error(harness.request("dialer.start_call",
                                                    harness.startBody(callId: Fixture.callId(3), leadId: Fixture.lead(3)),
                                                    on: client))
        XCTAssertEqual(refused?.status, 503)
        XCTAssertEqual(refused?.code, "dialer_stopping")

        XCTAssertTrue(harness.loop.run(until: { done }, timeout: 2))
        for n in 1...2 {
            let callId = Fixture.callId(n)
            XCTAssertEqual(harness.statuses(of: callId).last, "failed")
            let event = harness.events.last { $0.body["call"]?["id"]?.string == callId }
            XCTAssertEqual(event?.body["call"]?["endReason"], "shutdown")
            XCTAssertNotNil(event?.body["previousStatus"]?.string)
            let row = try XCTUnwrap(harness.row(callId))
            XCTAssertEqual(row.string("status"), "failed")
            XCTAssertEqual(row.string("end_reason"), "shutdown")
        }
        XCTAssertEqual(harness.daemon?.provider?.activeCount, 0, "the simulated calls were hung up")
        XCTAssertFalse(harness.daemon?.database?.isOpen ?? true, "the database is closed")
    }
}
