/// `queue.control` and `queue.operator_changed` over IPC: pause/resume persisted and published
/// once, max concurrent calls validated, the queue status with lead counts and the dispatch
/// hook's details, stuck-lead reset through the hook (503 without one), unknown actions.

import XCTest
import Shared
@testable import queue_daemon

final class CommandControlTests: QueueDaemonTestCase {
    func testPauseAndResumeArePersistedAndPublishedOncePerChange() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let paused = harness.ok("queue.control", ["action": "pause_queue", "actorId": .string(admin)])
        XCTAssertEqual(paused, ["message": "Call queue paused", "status": "paused"])
        _ = harness.ok("queue.control", ["action": "pause_queue"])
        XCTAssertEqual(try harness.query("SELECT value FROM queue_settings WHERE key = 'paused'").first?.string(at: 0), "1")
        let resumed = harness.ok("queue.control", ["action": "resume_queue"])
        XCTAssertEqual(resumed, ["message": "Call queue resumed", "status": "running"])
        XCTAssertEqual(recorder.settings.map(\.paused), [true, false])
        harness.drain(until: { self.harness.eventTypes().contains("event.queue_resumed") })
        XCTAssertEqual(harness.eventTypes().filter { $0.hasPrefix("event.queue_") }, ["event.queue_paused", "event.queue_resumed"])
        XCTAssertEqual(harness.events.first?.body["actorId"]?.string, admin)
    }

    func testMaxConcurrentCallsIsValidated() throws {
        for bad: JSON in [0, 10_001, "5", .null, 2.5] {
            let error = harness.fails("queue.control", ["action": "set_max_concurrent_calls", "value": bad], status: 400,
                                      code: "validation_failed")
            if bad.int != nil { XCTAssertEqual(error?.message, "\"value\" must be between 1 and 10000", "the gateway's message") }
        }
        XCTAssertEqual(harness.ok("queue.control", ["action": "set_max_concurrent_calls", "value": 1])["maxConcurrentCalls"], 1)
        let reply = harness.ok("queue.control", ["action": "set_max_concurrent_calls", "value": 10_000])
        XCTAssertEqual(reply["maxConcurrentCalls"], .int(10_000))
        XCTAssertEqual(harness.daemon.settings.current.maxConcurrentCalls, 10_000)
        harness.drain(until: { self.harness.eventTypes().contains("event.queue_settings_changed") })
        XCTAssertTrue(harness.eventTypes().contains("event.queue_settings_changed"))
    }

    func testQueueStatusCountsActiveLeadsAndMergesTheDispatchDetails() throws {
        harness.createLead(phone: "+998901111111")
        let claimed = harness.createLead(phone: "+998902222222")["id"] ?? .null
        let deleted = harness.createLead(phone: "+998903333333")["id"] ?? .null
        _ = harness.ok("queue.claim_lead", ["actorId": .string(QueueDaemonHarness.operatorA), "leadId": claimed])
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": deleted])
        var reply = harness.ok("queue.control", ["action": "get_queue_status"])
        XCTAssertEqual(reply["message"], "Queue status retrieved")
        let status = try XCTUnwrap(reply["status"]?.object)
        XCTAssertEqual(status["isRunning"], .bool(true))
        XCTAssertEqual(status["maxConcurrentCalls"], .int(5))
        XCTAssertEqual(status["activeCalls"], .int(0))
        XCTAssertEqual(status["leads"]?["pending"], .int(1))
        XCTAssertEqual(status["leads"]?["claimed"], .int(1))
        XCTAssertEqual(status["leads"]?["failed"], .int(0))
        XCTAssertEqual(reply["activeCalls"], .array([]))
        harness.daemon.dispatch = DispatchRecorder()
        reply = harness.ok("queue.control", ["action": "get_queue_status"])
        XCTAssertEqual(reply["status"]?["activeCalls"], .int(3))
        XCTAssertEqual(reply["activeCalls"], [["leadId": "x"]])
    }

    func testResetStuckLeadsIsAnsweredByTheDispatchHook() {
        harness.fails("queue.control", ["action": "reset_stuck_leads"], status: 503, code: "not_available")
        harness.daemon.dispatch = DispatchRecorder()
        XCTAssertEqual(harness.ok("queue.control", ["action": "reset_stuck_leads"])["resetCount"], .int(2))
    }

    func testMissingAndUnknownActions() {
        harness.fails("queue.control", [:], status: 400, error: "Action parameter required")
        let unknown = harness.fails("queue.control", ["action": "reboot"], status: 400, code: "invalid_action",
                                    error: "Invalid action specified")
        XCTAssertTrue(unknown?.message.contains("pause_queue, resume_queue, set_max_concurrent_calls, "
                                                + "get_queue_status, reset_stuck_leads") ?? false)
        harness.fails("queue.control", ["action": "pause_queue", "actorId": "me"], status: 400)
    }

    func testOperatorChangedCallsTheHook() {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        XCTAssertEqual(harness.ok("queue.operator_changed", ["userId": .string(QueueDaemonHarness.operatorA)]), JSONObject())
        XCTAssertEqual(recorder.operators, [QueueDaemonHarness.operatorA])
        harness.fails("queue.operator_changed", ["userId": "x"], status: 400)
        harness.fails("queue.operator_changed", [:], status: 400)
    }

    func testExtraCommandsCanBeRegisteredBeforeAndAfterStart() throws {
        harness.daemon.registerCommand(.startManualCall) { _, reply in reply(.success(["started": true])) }
        XCTAssertEqual(harness.ok("queue.start_manual_call", [:])["started"], .bool(true))
        try harness.restart { $0.registerCommand(.setDisposition) { _, reply in reply(.success(["late": true])) } }
        XCTAssertEqual(harness.ok("queue.set_disposition", [:])["late"], .bool(true))
    }
}
