import XCTest
@testable import api_gateway
@testable import Shared

/// The gateway's realtime behaviour: authentication and its messages, rooms, presence,
/// server events by room, session end on revocation/deactivation, and client events.
final class RealtimeHubTests: XCTestCase {
    static let admin = "aaaaaaaaaaaaaaaaaaaaaaaa"
    static let op1 = "111111111111111111111111"
    static let op2 = "222222222222222222222222"
    static let callId = "cccccccccccccccccccccccc"

    var h: RealtimeHubHarness!

    override func setUpWithError() throws {
        h = try RealtimeHubHarness()
        h.backend.addUser(Self.admin, role: .admin, name: "Ada", token: "admin-token")
        h.backend.addUser(Self.op1, role: .operator_, name: "Olim", token: "op1-token")
        h.backend.addUser(Self.op2, role: .operator_, name: "Zarina", token: "op2-token")
    }

    override func tearDown() { h = nil }

    func callEvent(status: String, operatorId: String?) -> GatewayEvent {
        let call: JSONObject = ["id": .string(Self.callId), "lead": "dddddddddddddddddddddddd",
                                "salesperson": operatorId.map(JSON.string) ?? .null, "status": .string(status),
                                "to": "+998901112233", "duration": 42]
        return GatewayEvent(origin: .dialer, type: "event.call_status_changed",
                            body: ["call": .object(call), "previousStatus": "ringing"])
    }

    // MARK: Authentication

    func testAuthenticateRepliesWithTheUserAndAnAck() {
        let c = h.client()
        c.connect()
        c.emit("authenticate", ["token": "op1-token"], ack: 0)
        XCTAssertEqual(c.last("authenticated"), ["userId": .string(Self.op1), "role": "salesperson", "name": "Olim"])
        XCTAssertEqual(c.acks.first?.arguments.first?["ok"], true)
        XCTAssertEqual(c.acks.first?.ackId, 0)
        XCTAssertEqual(h.hub.activeConnections, 1)
    }

    func testAuthErrorsKeepTheOriginalMessages() {
        h.backend.inactiveUsers.insert(Self.op2)
        let c = h.client()
        c.connect()
        c.emit("authenticate", [:])
        c.emit("authenticate", ["token": "forged"])
        c.emit("authenticate", ["token": "op2-token"], ack: 7)
        XCTAssertEqual(c.events.filter { $0.name == "auth_error" }.map { $0.payload?["message"]?.string },
                       ["Authentication token required", "Authentication failed", "Invalid or expired token"])
        XCTAssertEqual(c.acks.first?.arguments.first?["ok"], false)
        XCTAssertEqual(h.hub.activeConnections, 0)
    }

    func testUnauthenticatedSocketsReceiveNoBroadcast() {
        let anon = h.client()
        anon.connect()
        let admin = h.authenticatedClient("admin-token")
        h.backend.publish(callEvent(status: "initiated", operatorId: Self.op1))
        h.backend.publish(GatewayEvent(origin: .queue, type: "event.queue_paused", body: ["paused": true]))
        XCTAssertEqual(anon.events.count, 0)
        XCTAssertTrue(admin.eventNames().contains("call_initiated"))
        XCTAssertTrue(admin.eventNames().contains("queue_paused"))
    }

    func testCallEventsGoToTheirOperatorAndAdminsOnly() {
        let admin = h.authenticatedClient("admin-token")
        let op1 = h.authenticatedClient("op1-token")
        let op2 = h.authenticatedClient("op2-token")
        h.backend.publish(callEvent(status: "answered", operatorId: Self.op1))
        h.backend.publish(callEvent(status: "no-answer", operatorId: Self.op1))
        for c in [admin, op1] {
            XCTAssertEqual(c.eventNames().filter { $0.hasPrefix("call_") },
                           ["call_answered", "call_status_updated", "call_status_updated"])
        }
        XCTAssertFalse(op2.eventNames().contains { $0.hasPrefix("call_") })
        let payload = op1.last("call_status_updated")
        XCTAssertEqual(payload?["status"], "no-answer")
        XCTAssertEqual(payload?["callId"]?.string, Self.callId)
        XCTAssertEqual(payload?["salespersonId"]?.string, Self.op1)
    }

    func testLeadAssignedReachesTheOperator() {
        let op1 = h.authenticatedClient("op1-token")
        let op2 = h.authenticatedClient("op2-token")
        h.backend.publish(GatewayEvent(origin: .queue, type: "event.lead_assigned",
                                       body: ["lead": ["id": "L"], "operatorId": .string(Self.op1), "callId": "C"]))
        XCTAssertEqual(op1.last("lead_assigned")?["callId"], "C")
        XCTAssertNil(op2.last("lead_assigned"))
    }

    func testGatewayEventsUseTheirOwnRooms() {
        let admin = h.authenticatedClient("admin-token")
        let op2 = h.authenticatedClient("op2-token")
        h.backend.publish(GatewayEvent(origin: .gateway, type: "user_availability_changed",
                                       body: ["userId": .string(Self.op1), "isAvailable": false],
                                       rooms: ["admin", "operator"]))
        XCTAssertEqual(admin.eventNames().filter { $0 == "user_availability_changed" }.count, 1)
        XCTAssertNotNil(op2.last("user_availability_changed"))
    }

    // MARK: Rooms and presence

    func testJoinRoomIsLimitedToAllowedRooms() {
        let op = h.authenticatedClient("op1-token")
        op.emit("join_room", "admin", ack: 1)
        XCTAssertEqual(op.acks.last?.arguments.first?["message"], "Not allowed to join room")
        op.emit("join_room", .string("user_" + Self.op2))
        XCTAssertEqual(op.last("error")?["message"], "Not allowed to join room")
        let admin = h.authenticatedClient("admin-token")
        admin.emit("join_room", .string("user_" + Self.op2), ack: 2)
        XCTAssertEqual(admin.acks.last?.arguments.first?["ok"], true)
        XCTAssertEqual(h.hub.io.memberCount("user_" + Self.op2), 1)
    }

    func testPresenceIsPerUserNotPerSocket() {
        let admin = h.authenticatedClient("admin-token")
        let tab1 = h.authenticatedClient("op1-token")
        let tab2 = h.authenticatedClient("op1-token")
        XCTAssertEqual(admin.eventNames().filter { $0 == "user_online" }.count, 1)
        XCTAssertEqual(admin.last("user_online")?["name"], "Olim")
        tab1.link.clientCloses()
        XCTAssertFalse(admin.eventNames().contains("user_offline"))
        tab2.link.clientCloses()
        XCTAssertEqual(admin.last("user_offline")?["userId"]?.string, Self.op1)
        XCTAssertEqual(h.hub.activeConnections, 1)
    }

    // MARK: Session guard

    func testRevokedTokenEndsTheSessionOnTheTimer() throws {
        h = try RealtimeHubHarness(revalidateInterval: 0.02)
        h.backend.addUser(Self.op1, role: .operator_, name: "Olim", token: "op1-token")
        let c = h.authenticatedClient("op1-token")
        h.backend.revokedTokens.insert("jti-op1-token")
        XCTAssertTrue(h.loop.run(until: { c.isClosed }, timeout: 2))
        XCTAssertEqual(c.last("auth_error")?["message"], "Invalid or expired token")
        XCTAssertEqual(c.packets.last, "1")
        XCTAssertEqual(h.hub.activeConnections, 0)
    }

    func testDeactivationEventEndsTheSessionAtOnce() {
        let admin = h.authenticatedClient("admin-token")
        let c = h.authenticatedClient("op1-token")
        h.backend.inactiveUsers.insert(Self.op1)
        h.backend.publish(GatewayEvent(origin: .gateway, type: "user_availability_changed",
                                       body: ["userId": .string(Self.op1), "isAvailable": false], rooms: ["admin"]))
        XCTAssertTrue(c.isClosed)
        XCTAssertEqual(admin.last("user_offline")?["userId"]?.string, Self.op1)
    }

    func testTokenRevokedEventEndsThatTokensSessions() {
        let c = h.authenticatedClient("op1-token")
        h.backend.revokedTokens.insert("jti-op1-token")
        h.backend.publish(GatewayEvent(origin: .gateway, type: RealtimeHub.tokenRevokedEvent, body: ["jti": "jti-op1-token"]))
        XCTAssertTrue(c.isClosed)
    }

    func testRoleChangeMovesTheSocketsRooms() {
        _ = h.authenticatedClient("admin-token")
        h.backend.roles[Self.admin] = .operator_
        h.hub.revalidateAll()
        XCTAssertEqual(h.hub.io.memberCount("admin"), 0)
        XCTAssertEqual(h.hub.io.memberCount("operator"), 1)
    }
}
