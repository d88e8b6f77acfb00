import Foundation
import Shared
import XCTest
@testable import dialer_daemon

/// `dialer.update_call` and `dialer.hangup` through IPC: ownership (403), admin override,
/// invalid transitions (409), invalid values (400), unknown calls (404), and ending a live
/// simulated call, which must also stop it at the provider.
final class DaemonUpdateCallTests: XCTestCase {
    var harness: DaemonHarness!
    var client: IPCClient!
    let callId = Fixture.callId(20)

    override func setUpWithError() throws {
        harness = try DaemonHarness(settings: DaemonHarness.longCalls)
        try harness.start()
        client = harness.connect(role: "gateway")
        _ = harness.call(harness.request("dialer.start_call", harness.startBody(callId: callId, leadId: Fixture.lead(20)),
                                         on: harness.connect(role: "queue", subscribe: false)))
    }

    override func tearDown() { harness.tearDown() }

    private func update(_ fields: [(String, JSON)], actor: String = Fixture.operatorA,
                        role: String = "operator") -> Result<JSONObject, IPCError> {
        let body = JSONObject([("actorId", .string(actor)), ("actorRole", .string(role)), ("callId", .string(callId))] + fields)
        return harness.request("dialer.update_call", body, on: client)
    }

    func testAnotherOperatorIsDenied() throws {
        let error = harness.error(update([("notes", "mine now")], actor: Fixture.operatorB))
        XCTAssertEqual(error?.status, 403)
        XCTAssertEqual(error?.error, "Access denied. This call does not belong to you.")
        XCTAssertNil(try harness.row(callId)?.optionalString("notes"))
    }

    func testAdminMayUpdateAnyCallAndSalespersonIsAnOperatorAlias() throws {
        let call = harness.call(update([("notes", "checked by admin")], actor: Fixture.admin, role: "admin"))
        XCTAssertEqual(call["notes"], "checked by admin")
        XCTAssertEqual(try harness.row(callId)?.string("notes"), "checked by admin")
        XCTAssertEqual(harness.statuses(of: callId), ["initiated"], "notes alone publish no status change")
        let own = harness.call(update([("notes", "own note")], role: "salesperson"))
        XCTAssertEqual(own["notes"], "own note")
    }

    func testOperatorEndingALiveCallStopsTheSimulation() throws {
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon?.provider?.activeCount == 1 }, timeout: 1))
        let call = harness.call(update([("status", "completed"), ("notes", "Interested, call back Monday")]))
        XCTAssertEqual(call["status"], "completed")
        XCTAssertEqual(call["endReason"], "operator")
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon?.provider?.activeCount == 0 }, timeout: 1),
                      "the provider call was hung up")
        // The provider's final report was handled when its call left `activeCount`; an event it
        // published would reach this connection before the answer to a later request.
        let status = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(status["activeCount"], 0)
        XCTAssertEqual(harness.statuses(of: callId), ["initiated", "completed"], "the provider's late report is ignored")
        let row = try XCTUnwrap(harness.row(callId))
        XCTAssertEqual(row.string("status"), "completed")
        XCTAssertEqual(row.string("notes"), "Interested, call back Monday")
    }

    func testInvalidTransitionIs409NamingTheCurrentStatus() throws {
        _ = harness.call(update([("status", "busy")]))
        let error = harness.error(update([("status", "completed")]))
        XCTAssertEqual(error?.status, 409)
        XCTAssertEqual(error?.code, "invalid_transition")
        XCTAssertTrue(error?.message.contains("busy") == true, error?.message ?? "")
        // Notes may still be added to an ended call.
        XCTAssertEqual(harness.call(update([("notes", "left a message")]))["notes"], "left a message")
    }

    func testInvalidValuesAre400() throws {
        let long = String(repeating: "n", count: 1001)
        let tooLong = harness.error(update([("notes", .string(long))]))
        XCTAssertEqual(tooLong?.status, 400)
        XCTAssertEqual(tooLong?.message, "\"notes\" must be 0 to 1000 characters long")
        XCTAssertEqual(harness.call(update([("notes", .string(String(long.dropLast())))]))["notes"]?.string?.count, 1000)
        // UTF-16 code units, as the gateway counts them: 500 emoji fit, 499 and a 3-unit tail do not.
        let emoji = String(repeating: "😀", count: 500)
        XCTAssertEqual(harness.call(update([("notes", .string(emoji))]))["notes"]?.string, emoji)
        XCTAssertEqual(harness.error(update([("notes", .string(String(repeating: "😀", count: 499) + "abc"))]))?.status, 400)

        let unknown = harness.error(update([("status", "done")]))
        XCTAssertEqual(unknown?.status, 400)
        XCTAssertEqual(unknown?.message,
                       "status must be one of: initiated, ringing, answered, completed, busy, no-answer, failed, canceled")
        let negative = harness.error(update([("status", "completed"), ("duration", -5)]))
        XCTAssertEqual(negative?.status, 400)
        XCTAssertEqual(negative?.message, "\"duration\" must be between 0 and 86400", "the gateway's message")
        XCTAssertEqual(harness.error(update([("status", "completed"), ("duration", 86_401)]))?.status, 400)
        XCTAssertEqual(harness.error(update([("duration", "long")]))?.message, "duration must be an integer")
        XCTAssertEqual(harness.error(update([]))?.status, 400, "nothing to update")
        XCTAssertEqual(harness.error(update([("notes", "x")], role: "guest"))?.message,
                       "actorRole must be one of: admin, operator")
        XCTAssertEqual(try harness.row(callId)?.string("status"), "initiated", "no error changed the call")
    }

    func testUnknownCallIs404() {
        let body = JSONObject([("actorId", .string(Fixture.admin)), ("actorRole", "admin"),
                               ("callId", .string(Fixture.callId(999))), ("notes", "x")])
        let error = harness.error(harness.request("dialer.update_call", body, on: client))
        XCTAssertEqual(error?.status, 404)
        XCTAssertEqual(error?.error, "Call log not found")
        XCTAssertEqual(harness.error(harness.request("dialer.hangup", ["callId": .string(Fixture.callId(999))],
                                                     on: client))?.status, 404)
    }

    func testHangupCancelsBeforeAnswerAndIsIdempotent() throws {
        let ended = harness.call(harness.request("dialer.hangup", ["callId": .string(callId)], on: client))
        XCTAssertEqual(ended["status"], "canceled")
        XCTAssertEqual(ended["endReason"], "hangup")
        let again = harness.call(harness.request("dialer.hangup", ["callId": .string(callId)], on: client))
        XCTAssertEqual(again, ended)
        XCTAssertEqual(harness.transitions(of: callId).map(\.1), ["initiated", "canceled"])
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon?.provider?.activeCount == 0 }, timeout: 1))
    }
}
