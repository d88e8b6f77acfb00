import XCTest
@testable import api_gateway
@testable import Shared

/// Socket.IO v5 packet handling: CONNECT / CONNECT_ERROR, namespaces, EVENT and ACK both ways,
/// DISCONNECT, malformed packets, the connect timeout, broadcasts encoded once.
final class SocketIOServerProtocolTests: XCTestCase {
    func testConnectIsAnsweredWithASidDistinctFromTheEngineSid() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect()
        let packet = try SocketIOPacket.decode(c.packets[0])
        XCTAssertEqual(packet.type, .connect)
        let sid = packet.data?["sid"]?.string
        XCTAssertEqual(sid?.count, 20)
        XCTAssertNotEqual(sid, c.session.sid)
    }

    func testPythonStyleEmptyAuthConnectsUnauthenticated() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect(auth: "{}")
        XCTAssertTrue(c.packets[0].hasPrefix("0{\"sid\""))
        XCTAssertEqual(h.hub.activeConnections, 0)
    }

    func testOtherNamespacesAreRefused() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.send("0/admin,")
        XCTAssertEqual(c.packets, ["4/admin,{\"message\":\"Invalid namespace\"}"])
        XCTAssertFalse(c.isClosed)
    }

    func testConnectWithAValidTokenAuthenticatesAtOnce() throws {
        let h = try RealtimeHubHarness()
        h.backend.addUser("u1", role: .operator_, name: "Olga", token: "good")
        let c = h.client()
        c.connect(auth: "{\"token\":\"good\"}")
        XCTAssertTrue(c.packets[0].hasPrefix("0{\"sid\""))
        XCTAssertEqual(c.eventNames(), ["authenticated"])
        XCTAssertEqual(c.last("authenticated"), ["userId": "u1", "role": "salesperson", "name": "Olga"])
        XCTAssertEqual(h.hub.activeConnections, 1)
    }

    func testConnectWithABadTokenGetsConnectError() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect(auth: "{\"token\":\"forged\"}")
        XCTAssertEqual(c.packets, ["4{\"message\":\"Authentication failed\"}"])
        c.connect(auth: "{\"token\":\"\"}")
        XCTAssertEqual(c.packets.last, "4{\"message\":\"Authentication token required\"}")
        c.connect()
        XCTAssertTrue(c.packets.last?.hasPrefix("0{\"sid\"") ?? false, "a later plain CONNECT is accepted")
    }

    func testMalformedPacketClosesOnlyThatSession() throws {
        let h = try RealtimeHubHarness()
        let bad = h.client(), good = h.client()
        bad.connect()
        good.connect()
        bad.send("2not json")
        XCTAssertTrue(bad.isClosed)
        XCTAssertFalse(good.isClosed)
        good.emit("typing_start", [:])
        XCTAssertFalse(good.isClosed)
    }

    func testBinaryMessagesOutOfPlaceCloseTheSession() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect()
        c.link.onMessage?(.binary([1, 2, 3]))
        XCTAssertTrue(c.isClosed, "binary data without a binary packet")
        let d = h.client()
        d.connect()
        d.send("51-[\"x\",{\"_placeholder\":true,\"num\":0}]")
        XCTAssertFalse(d.isClosed, "waiting for its attachment")
        d.send("2[\"x\"]")
        XCTAssertTrue(d.isClosed, "a text packet while an attachment is due")
    }

    func testServerEmitWithAckResolvesOnTheClientsAck() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect()
        guard let socket = h.hub.io.sockets.values.first else { return XCTFail() }
        var answer: [JSON]?
        XCTAssertTrue(socket.emit("ping_me", ["x"], ack: { answer = $0 }))
        XCTAssertEqual(c.packets.last, "20[\"ping_me\",\"x\"]")
        c.send("30[\"pong\",1]")
        XCTAssertEqual(answer, ["pong", 1])
        c.send("30[\"again\"]")
        XCTAssertEqual(answer, ["pong", 1], "an ack id is resolved once")
    }

    func testPendingAcksAreBounded() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect()
        guard let socket = h.hub.io.sockets.values.first else { return XCTFail() }
        var accepted = 0
        for _ in 0..<(SocketIOSocket.maxPendingAcks + 5) where socket.emit("x", [], ack: { _ in }) { accepted += 1 }
        XCTAssertEqual(accepted, SocketIOSocket.maxPendingAcks)
    }

    func testEventsBeforeConnectAreIgnored() throws {
        let h = try RealtimeHubHarness()
        h.backend.addUser("u1", role: .admin, name: "A", token: "t")
        let c = h.client()
        c.emit("authenticate", ["token": "t"])
        XCTAssertEqual(c.packets, [])
        XCTAssertEqual(h.hub.activeConnections, 0)
    }

    func testClientDisconnectLeavesTheNamespaceAndItsRooms() throws {
        let h = try RealtimeHubHarness()
        h.backend.addUser("u1", role: .admin, name: "A", token: "t")
        let c = h.authenticatedClient("t")
        XCTAssertEqual(h.hub.io.memberCount("admin"), 1)
        c.send("1")
        XCTAssertEqual(h.hub.io.memberCount("admin"), 0)
        XCTAssertEqual(h.hub.activeConnections, 0)
        XCTAssertFalse(c.isClosed, "the Engine.IO session stays until the client closes it")
    }

    func testConnectTimeoutDropsASilentClient() throws {
        let h = try RealtimeHubHarness(connectTimeout: 0.02)
        let c = h.client()
        XCTAssertTrue(h.loop.run(until: { c.isClosed }, timeout: 2))
        XCTAssertTrue(h.hub.io.sockets.isEmpty)
    }

    func testBroadcastReachesEachSocketOnceAcrossRooms() throws {
        let h = try RealtimeHubHarness()
        h.backend.addUser("a1", role: .admin, name: "A", token: "t")
        let c = h.authenticatedClient("t")
        let before = c.packets.count
        XCTAssertEqual(h.hub.io.broadcast("x", [1], to: ["admin", "operator", "user_a1"]), 1)
        XCTAssertEqual(c.packets.count, before + 1)
    }

    func testNamedLimits() {
        XCTAssertEqual(SocketIOSocket.defaultConnectTimeout, 45)
        XCTAssertEqual(SocketIOSocket.maxPendingAcks, 64)
        XCTAssertEqual(SocketIOSocket.sidRandomBytes, 15)
    }
}
