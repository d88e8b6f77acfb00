import XCTest
@testable import api_gateway
@testable import Shared

/// Pure translation of gateway events to Socket.IO broadcasts, rooms and presence rules.
final class RealtimeEventTranslatorTests: XCTestCase {
    let now: Int64 = 1_700_000_000_000
    var iso: JSON { .string(Timestamp.iso8601(millis: now)) }

    func call(_ status: String, operatorId: JSON = "111111111111111111111111") -> GatewayEvent {
        GatewayEvent(origin: .dialer, type: "event.call_status_changed", body: [
            "call": ["_id": "c1", "id": "c1", "lead": "l1", "salesperson": operatorId, "status": .string(status),
                     "to": "+998900000000", "duration": 7],
            "previousStatus": "initiated"])
    }

    func testInitiatedGivesCallInitiatedAndStatusUpdated() {
        let out = RealtimeEventTranslator.translate(call("initiated"), nowMillis: now)
        XCTAssertEqual(out.map(\.event), ["call_initiated", "call_status_updated"])
        XCTAssertEqual(out[0].rooms, ["user_111111111111111111111111", "admin"])
        XCTAssertEqual(out[0].payload, ["callId": "c1", "leadId": "l1", "salespersonId": "111111111111111111111111",
                                        "status": "initiated", "previousStatus": "initiated", "phone": "+998900000000",
                                        "duration": 7, "timestamp": iso])
    }

    func testEveryOutcomeIsPushed() {
        for status in ["completed", "busy", "no-answer", "failed", "canceled", "ringing"] {
            XCTAssertEqual(RealtimeEventTranslator.translate(call(status), nowMillis: now).map(\.event),
                           ["call_status_updated"], status)
        }
        XCTAssertEqual(RealtimeEventTranslator.translate(call("answered"), nowMillis: now).map(\.event),
                       ["call_answered", "call_status_updated"])
    }

    func testCallWithoutOperatorGoesToAdminsOnly() {
        XCTAssertEqual(RealtimeEventTranslator.translate(call("initiated", operatorId: .null), nowMillis: now)[0].rooms,
                       ["admin"])
    }

    func testMalformedCallEventIsDropped() {
        let event = GatewayEvent(origin: .dialer, type: "event.call_status_changed", body: ["call": "oops"])
        XCTAssertEqual(RealtimeEventTranslator.translate(event, nowMillis: now), [])
    }

    func testQueueEventsGoToAdmins() {
        for (type, name) in [("event.lead_claimed", "lead_claimed"), ("event.leads_imported", "leads_imported"),
                             ("event.queue_paused", "queue_paused"), ("event.queue_resumed", "queue_resumed"),
                             ("event.stuck_leads_reset", "stuck_leads_reset"), ("event.lead_created", "lead_created"),
                             ("event.lead_updated", "lead_updated"), ("event.lead_deleted", "lead_deleted"),
                             ("event.leads_bulk_updated", "leads_updated")] {
            let out = RealtimeEventTranslator.translate(GatewayEvent(origin: .queue, type: type, body: ["count": 3]),
                                                        nowMillis: now)
            XCTAssertEqual(out, [RealtimeBroadcast(event: name, payload: ["count": 3, "timestamp": iso], rooms: ["admin"])])
        }
    }

    func testLeadAssigned() {
        let out = RealtimeEventTranslator.translate(GatewayEvent(origin: .queue, type: "event.lead_assigned", body: [
            "lead": ["id": "l1"], "operatorId": "op", "callId": "c1"]), nowMillis: now)
        XCTAssertEqual(out, [RealtimeBroadcast(event: "lead_assigned", payload: [
            "lead": ["id": "l1"], "callId": "c1", "operatorId": "op", "timestamp": iso], rooms: ["user_op", "admin"])])
    }

    func testOtherDaemonEventsAreNotPushed() {
        XCTAssertEqual(RealtimeEventTranslator.translate(GatewayEvent(origin: .queue, type: "event.something_else",
                                                                      body: [:]), nowMillis: now), [])
    }

    func testLeadStatusAndQueueSettingsReachAdminsSlim() {
        let cases: [(String, JSONObject, JSONObject)] = [
            ("lead_status_changed", ["lead": ["id": "l1", "name": "N"], "from": "claimed", "to": "pending", "reason": "released"],
             ["leadId": "l1", "from": "claimed", "to": "pending", "reason": "released", "timestamp": iso]),
            ("queue_settings_changed", ["paused": false, "maxConcurrentCalls": 7, "actorId": "a"],
             ["paused": false, "maxConcurrentCalls": 7, "timestamp": iso]),
        ]
        for (name, body, payload) in cases {
            let out = RealtimeEventTranslator.translate(GatewayEvent(origin: .queue, type: "event." + name, body: body),
                                                        nowMillis: now)
            XCTAssertEqual(out, [RealtimeBroadcast(event: name, payload: .object(payload), rooms: ["admin"])], name)
        }
    }

    func testRoomRules() {
        let op = RealtimeIdentity(user: AuthUser(id: "111111111111111111111111", role: .operator_, name: "O", email: ""),
                                  tokenId: "j", tokenExpiresAt: 0)
        var admin = op
        admin.user = AuthUser(id: op.userId, role: .admin, name: op.name, email: "")
        XCTAssertEqual(RealtimeRooms.automatic(for: op), ["user_111111111111111111111111", "operator"])
        XCTAssertEqual(RealtimeRooms.automatic(for: admin), ["user_111111111111111111111111", "admin", "operator"])
        XCTAssertFalse(RealtimeRooms.mayJoin("admin", op))
        XCTAssertFalse(RealtimeRooms.mayJoin("general", op))
        XCTAssertFalse(RealtimeRooms.mayJoin("user_222222222222222222222222", op))
        XCTAssertTrue(RealtimeRooms.mayJoin("user_222222222222222222222222", admin))
        XCTAssertFalse(RealtimeRooms.mayJoin("user_not-an-id", admin))
        XCTAssertFalse(RealtimeRooms.mayJoin(String(repeating: "x", count: 65), admin))
    }

    func testPresenceCountsSocketsPerUser() {
        var presence = RealtimePresence()
        XCTAssertTrue(presence.add("u"))
        XCTAssertFalse(presence.add("u"))
        XCTAssertTrue(presence.add("v"))
        XCTAssertEqual(presence.authenticatedSockets, 3)
        XCTAssertFalse(presence.remove("u"))
        XCTAssertTrue(presence.remove("u"))
        XCTAssertFalse(presence.remove("u"), "removing an unknown user changes nothing")
        XCTAssertEqual(presence.authenticatedSockets, 1)
        XCTAssertEqual(presence.onlineUsers, 1)
    }
}
