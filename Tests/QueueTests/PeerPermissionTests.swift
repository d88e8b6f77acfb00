import TestSupport
import XCTest
@testable import Shared
@testable import queue_daemon

/// The queue-daemon's permission table (`QueueCommand.senders`) at work: the dialer may connect
/// to `queue.sock` but may send none of the gateway's commands.
final class PeerPermissionTests: XCTestCase {
    func testTheDialersConnectionSendingAQueueAdminCommandIsRefused() throws {
        let harness = try QueueDaemonHarness()
        let dialer = harness.client(role: "dialer")
        let refused = harness.call("queue.control", ["action": "pause_queue"], on: dialer).failureValue
        XCTAssertEqual(refused?.status, 403)
        XCTAssertEqual(refused?.code, "command_not_allowed")
        XCTAssertEqual(refused?.message, "dialer may not send queue.control to queue")
        XCTAssertTrue(harness.logs.lines.contains { $0.contains("dialer may not send queue.control; refused") })
        XCTAssertTrue(dialer.isConnected)
        let status = harness.ok("queue.control", ["action": "get_queue_status"])
        XCTAssertEqual(status["status"]?["paused"], .bool(false), "the refused pause did nothing")
    }

    func testTheDialerMayNotChangeLeads() throws {
        let harness = try QueueDaemonHarness()
        let lead = harness.createLead(phone: "+998901234567")
        let dialer = harness.client(role: "dialer")
        for type in ["queue.delete_lead", "queue.update_lead", "queue.claim_lead", "queue.import_begin"] {
            let body: JSONObject = ["actorId": .string(QueueDaemonHarness.admin), "leadId": lead["id"] ?? .null]
            XCTAssertEqual(harness.call(type, body, on: dialer).failureValue?.code, "command_not_allowed", type)
        }
        XCTAssertEqual(harness.ok("queue.control", ["action": "get_queue_status"])["status"]?["leads"]?["pending"], .int(1))
    }
}
