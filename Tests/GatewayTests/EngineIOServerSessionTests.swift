import XCTest
@testable import api_gateway
@testable import Shared

/// A WebSocket link that records frames and lets the test play the client.
final class FakeWebSocketLink: EngineIOWebSocketLink {
    var frames: [[UInt8]] = []
    var closedWith: UInt16?
    var accepts = true
    var onMessage: ((WebSocketConnection.Message) -> Void)?
    var onClose: ((UInt16) -> Void)?

    var texts: [String] { WebSocketTestPeer.parse(frames.flatMap { $0 }).map(\.text) }

    func send(frame: [UInt8]) -> Bool {
        guard closedWith == nil, accepts else { return false }
        frames.append(frame)
        return true
    }

    func close(code: UInt16, reason: String) {
        guard closedWith == nil else { return }
        closedWith = code
    }

    func client(_ text: String) { onMessage?(.text(text)) }
    func clientCloses(_ code: UInt16 = 1000) { closedWith = code; onClose?(code) }
}

/// Session state machine: ping/pong timing, the upgrade exchange, outbox bounds.
final class EngineIOServerSessionTests: XCTestCase {
    func fastOptions() -> EngineIOServerOptions {
        var options = EngineIOServerOptions()
        options.pingInterval = 0.03
        options.pingTimeout = 0.03
        return options
    }

    func testServerPingsAndAPongKeepsTheSessionAlive() throws {
        let h = try EngineIOHarness(options: fastOptions())
        let sid = try h.handshake()
        for _ in 0..<3 {
            let get = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
            XCTAssertTrue(h.loop.run(until: { get.text != nil }, timeout: 2))
            XCTAssertEqual(get.text, "2")
            try h.request("POST", "EIO=4&transport=polling&sid=\(sid)", body: "3")
        }
        XCTAssertNil(h.closes[sid])
    }

    func testMissingPongClosesWithPingTimeout() throws {
        let h = try EngineIOHarness(options: fastOptions())
        let sid = try h.handshake()
        XCTAssertTrue(h.loop.run(until: { h.closes[sid] != nil }, timeout: 2))
        XCTAssertEqual(h.closes[sid], .pingTimeout)
        XCTAssertEqual(h.server.sessionCount, 0)
    }

    func testOpenPacketAnnouncesConfiguredIntervals() throws {
        let h = try EngineIOHarness(options: fastOptions())
        let open = try JSON.parse(String(try h.request("GET", "EIO=4&transport=polling").text?.dropFirst() ?? ""))
        XCTAssertEqual(open["pingInterval"]?.int, 30)
        XCTAssertEqual(open["pingTimeout"]?.int, 30)
    }

    func testUpgradeExchange() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        guard let session = h.session(sid) else { return XCTFail() }
        let get = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        let link = FakeWebSocketLink()
        XCTAssertTrue(session.beginUpgrade(link))
        session.send(EngineIOEncodedPacket(.message, text: "while-probing"))
        XCTAssertEqual(get.text, "4while-probing", "until the upgrade completes, polling carries the traffic")
        let get2 = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        link.client("2probe")
        XCTAssertEqual(link.texts, ["3probe"])
        XCTAssertEqual(get2.text, "6", "the held GET is released with a noop")
        session.send(EngineIOEncodedPacket(.message, text: "queued"))
        link.client("5")
        XCTAssertEqual(session.transport, .webSocket)
        XCTAssertEqual(link.texts, ["3probe", "4queued"])
        session.send(EngineIOEncodedPacket(.message, text: "live"))
        XCTAssertEqual(link.texts.last, "4live")
        link.client("4from-client")
        XCTAssertEqual(h.messages[sid], ["from-client"])
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling&sid=\(sid)").last?.status, 400)
        link.clientCloses()
        XCTAssertEqual(h.closes[sid], .clientClosed)
        XCTAssertEqual(h.server.sessionCount, 0)
    }

    func testWrongPacketDuringProbeAbandonsTheUpgradeOnly() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        guard let session = h.session(sid) else { return XCTFail() }
        let link = FakeWebSocketLink()
        XCTAssertTrue(session.beginUpgrade(link))
        link.client("5")
        XCTAssertNotNil(link.closedWith)
        XCTAssertEqual(session.transport, .polling)
        XCTAssertNil(h.closes[sid])
        XCTAssertTrue(session.beginUpgrade(FakeWebSocketLink()), "a new probe may follow")
    }

    func testUpgradeTimesOut() throws {
        var options = EngineIOServerOptions()
        options.upgradeTimeout = 0.02
        let h = try EngineIOHarness(options: options)
        let sid = try h.handshake()
        let link = FakeWebSocketLink()
        XCTAssertTrue(h.session(sid)?.beginUpgrade(link) ?? false)
        link.client("2probe")
        XCTAssertTrue(h.loop.run(until: { link.closedWith != nil }, timeout: 2))
        XCTAssertEqual(h.session(sid)?.transport, .polling)
    }

    func testWebSocketSessionSendsOpenFirstAndClosesOnMalformedPacket() throws {
        let h = try EngineIOHarness()
        let session = EngineIOSession(sid: "abc", transport: .webSocket, loop: h.loop, options: EngineIOServerOptions())
        var reason: EngineIOSession.CloseReason?
        session.onClose = { reason = $0 }
        let link = FakeWebSocketLink()
        session.attachWebSocket(link)
        XCTAssertEqual(link.texts.first?.first, "0")
        let open = try JSON.parse(String(link.texts.first?.dropFirst() ?? ""))
        XCTAssertEqual(open["upgrades"], .array([]))
        XCTAssertEqual(open["sid"]?.string, "abc")
        link.client("x-not-a-packet")
        XCTAssertEqual(reason, .parseError)
        XCTAssertEqual(link.closedWith, 1000)
    }

    func testPollingOutboxIsBounded() throws {
        var options = EngineIOServerOptions()
        options.maxOutboxBytes = 1000
        let h = try EngineIOHarness(options: options)
        let sid = try h.handshake()
        let packet = EngineIOEncodedPacket(.message, text: String(repeating: "x", count: 300))
        var accepted = 0
        while accepted < 100, h.session(sid)?.send(packet) == true { accepted += 1 }
        XCTAssertEqual(accepted, 3)
        XCTAssertEqual(h.closes[sid], .slowConsumer)
    }

    func testWebSocketSlowConsumerClosesTheSession() throws {
        let h = try EngineIOHarness()
        let session = EngineIOSession(sid: "s", transport: .webSocket, loop: h.loop, options: EngineIOServerOptions())
        var reason: EngineIOSession.CloseReason?
        session.onClose = { reason = $0 }
        let link = FakeWebSocketLink()
        session.attachWebSocket(link)
        link.clientCloses(WebSocketCloseCode.policyViolation)
        XCTAssertEqual(reason, .slowConsumer)
        XCTAssertFalse(session.send(.ping))
    }

    private func postHead(_ sid: String) -> HTTPRequestHead {
        HTTPRequestHead(method: "POST", target: "/socket.io/?EIO=4&transport=polling&sid=\(sid)", version: .http11,
                        headers: ["Host": "x"], framing: .length(2))
    }

    func testOverlappingPollingPostsCloseTheSessionAndTheSecondIs400() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        let get = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        let first = h.server.bodyStarted(postHead(sid))
        XCTAssertNotNil(first, "the first POST's body is arriving")
        XCTAssertNil(h.server.bodyStarted(postHead(sid)), "a second POST while the first is still arriving")
        XCTAssertEqual(h.closes[sid], .transportError)
        XCTAssertEqual(get.text, "1", "the held poll is released with the close packet")
        let second = try h.request("POST", "EIO=4&transport=polling&sid=\(sid)", body: "40")
        XCTAssertEqual(second.last?.status, 400)
        XCTAssertEqual(h.server.sessionCount, 0)
        XCTAssertNil(h.messages[sid], "nothing of either POST is delivered")
    }

    func testSequentialPollingPostsAreFine() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        for body in ["40", "42[\"a\"]"] {
            var token = h.server.bodyStarted(postHead(sid))
            XCTAssertNotNil(token)
            token = nil   // the connection releases it once the body is complete
            XCTAssertNil(token)
            XCTAssertEqual(try h.request("POST", "EIO=4&transport=polling&sid=\(sid)", body: body).text, "ok")
        }
        XCTAssertEqual(h.messages[sid], ["0", "2[\"a\"]"])
        XCTAssertNil(h.server.bodyStarted(HTTPRequestHead(method: "POST", target: "/api/x?sid=\(sid)", version: .http11,
                                                          headers: [:], framing: .length(2))), "other paths are not watched")
    }
}
