import XCTest
@testable import api_gateway
@testable import Shared

/// The `/ws-echo` endpoint through the real HTTP server: the handshake (101 with the RFC 6455
/// example accept key), echo of text, refusal of a bad handshake.
final class RealtimeWebSocketEchoTests: XCTestCase {
    static let handshake = "GET /ws-echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

    func testHandshakeThenEcho() throws {
        var echo: WebSocketEchoEndpoint!
        let router = Router()
        let t = try TestServer { req, res in router.handle(req, res) }
        defer { t.stop() }
        echo = WebSocketEchoEndpoint(loop: t.loop)
        echo.register(on: router)
        let c = try t.client()
        c.send(Array(Self.handshake.utf8) + WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("ping!".utf8)))
        let marker = Array("\r\n\r\n".utf8)
        XCTAssertTrue(c.run(until: {
            guard let end = HTTPTestClient.find(marker, in: c.received, from: 0) else { return false }
            return !WebSocketTestPeer.parse(Array(c.received[(end + 4)...])).isEmpty
        }))
        let text = String(decoding: c.received, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        XCTAssertTrue(text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        guard let end = HTTPTestClient.find(marker, in: c.received, from: 0) else { return XCTFail("no head") }
        XCTAssertEqual(WebSocketTestPeer.parse(Array(c.received[(end + 4)...])).first?.text, "ping!")
        XCTAssertEqual(echo.openCount, 1)
        c.send(WebSocketTestPeer.clientFrame(opcode: 8, payload: [0x03, 0xE8]))
        XCTAssertTrue(c.waitForClose())
        XCTAssertEqual(echo.openCount, 0)
    }

    /// Sends `handshake` to the echo endpoint; returns the answer and the endpoint's open count.
    private func refusal(_ handshake: String) throws -> (ClientResponse?, Int) {
        let router = Router()
        let t = try TestServer { req, res in router.handle(req, res) }
        defer { t.stop() }
        let echo = WebSocketEchoEndpoint(loop: t.loop)
        echo.register(on: router)
        let c = try t.client()
        c.send(handshake)
        return (c.responses(1).first, echo.openCount)
    }

    func testBadVersionIsRefusedWith426() throws {
        let (response, opened) = try refusal(Self.handshake.replacingOccurrences(of: "Version: 13", with: "Version: 8"))
        XCTAssertEqual(response?.status, 426)
        XCTAssertEqual(response?.headers["Sec-WebSocket-Version"], "13")
        XCTAssertEqual(opened, 0)
    }

    func testUpgradeOverHTTP10IsRefusedWith400() throws {
        let (response, opened) = try refusal(Self.handshake.replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0"))
        XCTAssertEqual(response?.status, 400)
        XCTAssertEqual(response?.json?["message"], "WebSocket upgrade requires HTTP/1.1")
        XCTAssertEqual(opened, 0)
    }
}
