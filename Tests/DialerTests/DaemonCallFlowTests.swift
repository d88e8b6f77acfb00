import Foundation
import Shared
import XCTest
@testable import dialer_daemon

/// `dialer.start_call` end to end through a real IPC connection: the published status sequence,
/// the final row, idempotency on `callId`, one live call per lead, and body validation.
final class DaemonCallFlowTests: XCTestCase {
    var harness: DaemonHarness!

    override func tearDown() { harness?.tearDown() }

    private func start(_ settings: [String: String]) throws -> IPCClient {
        harness = try DaemonHarness(settings: settings)
        try harness.start()
        return harness.connect()
    }

    func testAnsweredCallPublishesEveryStatusInOrderAndStoresTheFinalRow() throws {
        let client = try start(DaemonHarness.only("ANSWER"))
        let callId = Fixture.callId(1)
        let reply = harness.call(harness.request("dialer.start_call",
                                                 harness.startBody(callId: callId, leadId: Fixture.lead(1)), on: client))
        XCTAssertEqual(reply["status"], "initiated")
        XCTAssertEqual(reply["id"]?.string, callId)
        XCTAssertEqual(reply["_id"]?.string, callId)
        XCTAssertEqual(reply["lead"]?.string, Fixture.lead(1))
        XCTAssertEqual(reply["salesperson"]?.string, Fixture.operatorA)
        XCTAssertEqual(reply["from"]?.string, DialerLimits.simulatedCallerId)
        XCTAssertEqual(reply["to"], "+998901234567")
        XCTAssertEqual(reply["mode"], "automatic")

        XCTAssertTrue(harness.loop.run(until: { self.harness.statuses(of: callId).last == "completed" }, timeout: 5))
        let transitions = harness.transitions(of: callId)
        XCTAssertEqual(transitions.map(\.1), ["initiated", "ringing", "answered", "completed"])
        XCTAssertEqual(transitions.map(\.0), [nil, "initiated", "ringing", "answered"])

        let row = try XCTUnwrap(harness.row(callId))
        XCTAssertEqual(row.string("status"), "completed")
        XCTAssertEqual(row.string("end_reason"), "provider")
        XCTAssertNotNil(row.optionalInt("answer_time"))
        XCTAssertNotNil(row.optionalInt("end_time"))
        XCTAssertGreaterThanOrEqual(row.int("duration"), 1, "talk time 1-2 simulated seconds")
        let sid = row.string("twilio_call_sid")
        XCTAssertTrue(sid.hasPrefix("CA") && sid.utf8.count == 34, sid)
        let final = harness.events.last { $0.body["call"]?["status"] == "completed" }
        XCTAssertEqual(final?.body["call"]?.object, CallJSON.render(row: row), "the event carries the stored row")
        let status = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(status["activeCount"], 0)
    }

    func testBusyCallEndsBusy() throws {
        let client = try start(DaemonHarness.only("BUSY"))
        let callId = Fixture.callId(2)
        _ = harness.call(harness.request("dialer.start_call", harness.startBody(callId: callId, leadId: Fixture.lead(2)), on: client))
        XCTAssertTrue(harness.loop.run(until: { self.harness.statuses(of: callId).last == "busy" }, timeout: 5))
        XCTAssertEqual(harness.statuses(of: callId), ["initiated", "ringing", "busy"])
        XCTAssertEqual(try harness.row(callId)?.string("status"), "busy")
    }

    func testStartCallTwiceWithOneCallIdPlacesOneCall() throws {
        let client = try start(DaemonHarness.longCalls)
        let callId = Fixture.callId(3)
        let body = harness.startBody(callId: callId, leadId: Fixture.lead(3))
        let first = harness.call(harness.request("dialer.start_call", body, on: client))
        let second = harness.call(harness.request("dialer.start_call", body, on: client))
        XCTAssertEqual(first["id"], second["id"])
        XCTAssertEqual(second["createdAt"], first["createdAt"])
        XCTAssertEqual(harness.daemon?.provider?.activeCount, 1)
        XCTAssertEqual(harness.statuses(of: callId), ["initiated"], "one insert, one event")
        XCTAssertEqual(try harness.readDB().queryOne("SELECT COUNT(*) FROM calls")?.int(at: 0), 1)

        // A resend after the call ended returns the ended call, and places nothing.
        _ = harness.call(harness.request("dialer.hangup", ["callId": .string(callId)], on: client))
        let third = harness.call(harness.request("dialer.start_call", body, on: client))
        XCTAssertEqual(third["status"], "canceled")
        harness.loop.run(until: { self.harness.daemon?.provider?.activeCount == 0 }, timeout: 1)
        XCTAssertEqual(harness.daemon?.provider?.activeCount, 0)
    }

    func testSecondLiveCallForOneLeadIsRefusedWith409() throws {
        let client = try start(DaemonHarness.longCalls)
        _ = harness.call(harness.request("dialer.start_call",
                                         harness.startBody(callId: Fixture.callId(4), leadId: Fixture.lead(4)), on: client))
        let refused = harness.error(harness.request("dialer.start_call",
                                                    harness.startBody(callId: Fixture.callId(5), leadId: Fixture.lead(4)), on: client))
        XCTAssertEqual(refused?.code, "call_in_progress")
        XCTAssertEqual(refused?.status, 409)
        XCTAssertEqual(refused?.error, "Call already in progress for this lead")
        XCTAssertNil(try harness.row(Fixture.callId(5)))
        // Another lead is fine, and once the first call ended the lead may be called again.
        _ = harness.call(harness.request("dialer.start_call",
                                         harness.startBody(callId: Fixture.callId(6), leadId: Fixture.lead(5)), on: client))
        _ = harness.call(harness.request("dialer.hangup", ["callId": .string(Fixture.callId(4))], on: client))
        let again = harness.call(harness.request("dialer.start_call",
                                                 harness.startBody(callId: Fixture.callId(5), leadId: Fixture.lead(4)), on: client))
        XCTAssertEqual(again["status"], "initiated")
    }

    func testCallIdOfAnotherLeadIsAConflict() throws {
        let client = try start(DaemonHarness.longCalls)
        _ = harness.call(harness.request("dialer.start_call",
                                         harness.startBody(callId: Fixture.callId(7), leadId: Fixture.lead(7)), on: client))
        let error = harness.error(harness.request("dialer.start_call",
                                                  harness.startBody(callId: Fixture.callId(7), leadId: Fixture.lead(8)), on: client))
        XCTAssertEqual(error?.code, "call_id_conflict")
        XCTAssertEqual(error?.status, 409)
    }

    func testInvalidStartBodiesNameTheField() throws {
        let client = try start(DaemonHarness.longCalls)
        var body = harness.startBody(callId: Fixture.callId(9), leadId: Fixture.lead(9))
        let cases: [(String, JSON?, String)] = [
            ("callId", nil, "callId is required"),
            ("callId", "abc", "callId must be a 24-character lowercase hex id"),
            ("leadId", 12, "leadId must be a string"),
            ("operatorId", "65A000000000000000000001", "operatorId must be a 24-character lowercase hex id"),
            ("to", nil, "to is required"),
            ("to", "+99890abc", "to must be a phone number"),
            ("mode", "robot", "mode must be one of: automatic, manual"),
            ("operatorPhone", "12", "operatorPhone must be a phone number"),
        ]
        for (key, value, message) in cases {
            var broken = body
            broken[key] = value
            let error = harness.error(harness.request("dialer.start_call", broken, on: client))
            XCTAssertEqual(error?.status, 400, key)
            XCTAssertEqual(error?.code, "validation_failed", key)
            XCTAssertTrue(error?.message.hasPrefix(message) == true, "\(key): \(error?.message ?? "")")
        }
        XCTAssertEqual(try harness.readDB().queryOne("SELECT COUNT(*) FROM calls")?.int(at: 0), 0)
        body["operatorId"] = .null
        body["mode"] = "manual"
        let call = harness.call(harness.request("dialer.start_call", body, on: client))
        XCTAssertEqual(call["salesperson"], .null)
        XCTAssertEqual(call["mode"], "manual")
    }
}
