import XCTest
@testable import api_gateway
@testable import Shared

/// Engine.IO over real sockets through the HTTP server: a WebSocket-only session and the upgrade
/// of a polling session, with the frames a client sees.
final class EngineIOServerWebSocketTests: XCTestCase {
    static func upgradeRequest(_ query: String, origin: String? = nil) -> String {
        "GET /socket.io/?\(query) HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (origin.map { "Origin: \($0)\r\n" } ?? "") + "\r\n"
    }

    /// Server frames after the 101 head.
    static func frames(_ c: HTTPTestClient) -> [ServerFrame] {
        guard let end = HTTPTestClient.find(Array("\r\n\r\n".utf8), in: c.received, from: 0) else { return [] }
        return WebSocketTestPeer.parse(Array(c.received[(end + 4)...]))
    }

    func makeServer(_ options: EngineIOServerOptions = EngineIOServerOptions()) throws -> (TestServer, EngineIOServer, Box) {
        let router = Router()
        let t = try TestServer { req, res in router.handle(req, res) }
        let engine = EngineIOServer(loop: t.loop, options: options)
        engine.register(on: router)
        let box = Box()
        engine.onSession = { session in
            session.onMessage = { if case .text(let s) = $0 { box.messages.append(s) } }
            session.onClose = { box.closes.append($0) }
        }
        return (t, engine, box)
    }

    final class Box {
        var messages: [String] = []
        var closes: [EngineIOSession.CloseReason] = []
    }

    func testWebSocketOnlySession() throws {
        let (t, engine, box) = try makeServer()
        defer { t.stop() }
        let c = try t.client()
        c.send(Self.upgradeRequest("EIO=4&transport=websocket"))
        XCTAssertTrue(c.run(until: { !Self.frames(c).isEmpty }))
        XCTAssertTrue(String(decoding: c.received, as: UTF8.self).hasPrefix("HTTP/1.1 101 "))
        let open = Self.frames(c)[0].text
        XCTAssertTrue(open.hasPrefix("0{\"sid\":"))
        XCTAssertTrue(open.contains("\"upgrades\":[]"))
        c.send(WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("40".utf8)))
        XCTAssertTrue(c.run(until: { box.messages == ["0"] }))
        engine.sessions.values.first?.send(EngineIOEncodedPacket(.message, text: "2[\"hi\"]"))
        XCTAssertTrue(c.run(until: { Self.frames(c).count == 2 }))
        XCTAssertEqual(Self.frames(c)[1].text, "42[\"hi\"]")
        c.send(WebSocketTestPeer.clientFrame(opcode: 8, payload: [3, 0xE8]))
        XCTAssertTrue(c.waitForClose())
        XCTAssertEqual(box.closes, [.clientClosed])
        XCTAssertEqual(engine.sessionCount, 0)
    }

    func testPollingThenUpgrade() throws {
        let (t, engine, box) = try makeServer()
        defer { t.stop() }
        let poll = try t.client()
        poll.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
        guard let openText = poll.responses(1).first?.text, let open = try? JSON.parse(String(openText.dropFirst())),
              let sid = open["sid"]?.string else { return XCTFail("no handshake") }
        poll.send("GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: x\r\n\r\n")
        let ws = try t.client()
        ws.send(Array(Self.upgradeRequest("EIO=4&transport=websocket&sid=\(sid)").utf8)
                + WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("2probe".utf8)))
        XCTAssertTrue(ws.run(until: { Self.frames(ws).first?.text == "3probe" }))
        XCTAssertEqual(poll.responses(2).last?.text, "6")
        ws.send(WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("5".utf8)))
        XCTAssertTrue(ws.run(until: { engine.sessions[sid]?.transport == .webSocket }))
        ws.send(WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("4over-ws".utf8)))
        XCTAssertTrue(ws.run(until: { box.messages == ["over-ws"] }))
    }

    func testUpgradeForUnknownSidIs400BeforeTheHandshake() throws {
        let (t, engine, _) = try makeServer()
        defer { t.stop() }
        let c = try t.client()
        c.send(Self.upgradeRequest("EIO=4&transport=websocket&sid=unknown"))
        XCTAssertEqual(engine.sessionCount, 0)
        let response = c.responses(1).first
        XCTAssertEqual(response?.status, 400)
        XCTAssertEqual(response?.json?["message"]?.string, "Session ID unknown")
    }

    func testWebSocketOriginOutsideTheAllowListIsRefused() throws {
        var options = EngineIOServerOptions()
        options.allowedOrigins = ["https://panel.example.com"]
        let (t, engine, _) = try makeServer(options)
        defer { t.stop() }
        let c = try t.client()
        c.send(Self.upgradeRequest("EIO=4&transport=websocket", origin: "https://evil.example"))
        XCTAssertEqual(c.responses(1).first?.status, 403)
        let ok = try t.client()
        ok.send(Self.upgradeRequest("EIO=4&transport=websocket", origin: "https://panel.example.com"))
        XCTAssertTrue(ok.run(until: { !Self.frames(ok).isEmpty }))
        XCTAssertEqual(engine.sessionCount, 1)
    }
}
