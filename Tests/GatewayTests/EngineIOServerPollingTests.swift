import XCTest
@testable import api_gateway
@testable import Shared

/// Records what a responder was answered (a polling request without sockets).
final class ResponseBox {
    var responses: [HTTPResponse] = []
    var last: HTTPResponse? { responses.last }
    var text: String? { last.map { String(decoding: $0.body, as: UTF8.self) } }
    var json: JSON? { last.flatMap { try? JSON.parse($0.body) } }
}

/// Drives an `EngineIOServer` with in-process requests (`HTTPResponder(request:sink:)`).
final class EngineIOHarness {
    let loop: EventLoop
    let server: EngineIOServer
    var messages: [String: [String]] = [:]
    var closes: [String: EngineIOSession.CloseReason] = [:]

    init(options: EngineIOServerOptions = EngineIOServerOptions()) throws {
        loop = try EventLoop()
        server = EngineIOServer(loop: loop, options: options)
        server.onSession = { [unowned self] session in
            let sid = session.sid
            session.onMessage = { data in
                if case .text(let t) = data { self.messages[sid, default: []].append(t) }
            }
            session.onClose = { self.closes[sid] = $0 }
        }
    }

    @discardableResult
    func request(_ method: String, _ query: String, body: String = "", headers: HTTPHeaders = [:]) throws -> ResponseBox {
        let box = ResponseBox()
        let request = try HTTPRequest(method: method, target: "/socket.io/?" + query, headers: headers,
                                      body: Array(body.utf8))
        server.handle(request, HTTPResponder(request: request, sink: { box.responses.append($0) }))
        return box
    }

    /// A polling handshake; returns the sid.
    func handshake(headers: HTTPHeaders = [:]) throws -> String {
        let box = try request("GET", "EIO=4&transport=polling&t=abc", headers: headers)
        guard let text = box.text, text.first == "0", let open = try? JSON.parse(String(text.dropFirst())),
              let sid = open["sid"]?.string else { throw XCTSkip("handshake failed: \(box.text ?? "-")") }
        return sid
    }

    func session(_ sid: String) -> EngineIOSession? { server.sessions[sid] }
}

final class EngineIOServerPollingTests: XCTestCase {
    func testPollingHandshakeSendsAllFiveOpenFields() throws {
        let h = try EngineIOHarness()
        let box = try h.request("GET", "EIO=4&transport=polling")
        XCTAssertEqual(box.last?.status, 200)
        XCTAssertEqual(box.last?.headers["Content-Type"], "text/plain; charset=UTF-8")
        guard let text = box.text, text.hasPrefix("0") else { return XCTFail("no open packet") }
        let open = try JSON.parse(String(text.dropFirst()))
        XCTAssertEqual(open.object?.keys, ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"])
        XCTAssertEqual(open["upgrades"], ["websocket"])
        XCTAssertEqual(open["pingInterval"]?.int, 25_000)
        XCTAssertEqual(open["pingTimeout"]?.int, 20_000)
        XCTAssertEqual(open["maxPayload"]?.int, 1_000_000)
        XCTAssertEqual(open["sid"]?.string?.count, 20)
        XCTAssertEqual(h.server.sessionCount, 1)
    }

    func testQueryErrorsUseEngineIOCodes() throws {
        let h = try EngineIOHarness()
        let cases: [(String, String, Int, String)] = [
            ("GET", "transport=polling", 5, "Unsupported protocol version"),
            ("GET", "EIO=3&transport=polling", 5, "Unsupported protocol version"),
            ("GET", "EIO=4&transport=flash", 0, "Transport unknown"),
            ("GET", "EIO=4", 0, "Transport unknown"),
            ("GET", "EIO=4&transport=polling&sid=nope", 1, "Session ID unknown"),
            ("POST", "EIO=4&transport=polling", 2, "Bad handshake method"),
            ("GET", "EIO=4&transport=websocket", 3, "Bad request"),
        ]
        for (method, query, code, message) in cases {
            let box = try h.request(method, query)
            XCTAssertEqual(box.last?.status, 400, query)
            XCTAssertEqual(box.json?["code"]?.int, Int64(code), query)
            XCTAssertEqual(box.json?["message"]?.string, message, query)
        }
        XCTAssertEqual(h.server.sessionCount, 0)
    }

    func testHeldGetIsAnsweredWhenAPacketIsQueued() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        let get = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        XCTAssertTrue(get.responses.isEmpty, "held open while nothing is queued")
        h.session(sid)?.send(EngineIOEncodedPacket(.message, text: "hello"))
        XCTAssertEqual(get.text, "4hello")
    }

    func testQueuedPacketsLeaveTogetherSeparatedByRecordSeparator() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        h.session(sid)?.send(EngineIOEncodedPacket(.message, text: "a"))
        h.session(sid)?.send(EngineIOEncodedPacket(.message, text: "b"))
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling&sid=\(sid)").text, "4a\u{1e}4b")
    }

    func testSecondConcurrentGetIsRefusedAndClosesTheSession() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        let first = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        let second = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        XCTAssertEqual(second.last?.status, 400)
        XCTAssertEqual(first.text, "1")
        XCTAssertEqual(h.closes[sid], .transportError)
        XCTAssertEqual(h.server.sessionCount, 0)
    }

    func testPostDeliversPacketsInOrderAndAnswersOk() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        let post = try h.request("POST", "EIO=4&transport=polling&sid=\(sid)", body: "40\u{1e}42[\"x\"]\u{1e}6")
        XCTAssertEqual(post.last?.status, 200)
        XCTAssertEqual(post.text, "ok")
        XCTAssertEqual(h.messages[sid], ["0", "2[\"x\"]"])
    }

    func testMalformedPostClosesOnlyThatSession() throws {
        let h = try EngineIOHarness()
        let bad = try h.handshake()
        let good = try h.handshake()
        XCTAssertEqual(try h.request("POST", "EIO=4&transport=polling&sid=\(bad)", body: "4ok\u{1e}9x").last?.status, 400)
        XCTAssertEqual(h.closes[bad], .parseError)
        XCTAssertNil(h.messages[bad], "a body that does not decode delivers nothing")
        XCTAssertNotNil(h.session(good))
        XCTAssertEqual(try h.request("POST", "EIO=4&transport=polling&sid=\(good)", body: "4fine").text, "ok")
    }

    func testClientClosePacketEndsTheSession() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        let get = try h.request("GET", "EIO=4&transport=polling&sid=\(sid)")
        try h.request("POST", "EIO=4&transport=polling&sid=\(sid)", body: "1")
        XCTAssertEqual(h.closes[sid], .clientClosed)
        XCTAssertEqual(get.text, "6", "a session the client closed releases its held poll with a noop (engine.io)")
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling&sid=\(sid)").json?["code"]?.int, 1)
    }

    func testOtherMethodsOnASessionAre400() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        XCTAssertEqual(try h.request("PUT", "EIO=4&transport=polling&sid=\(sid)").last?.status, 400)
    }

    func testServerCloseLetsTheNextGetCollectTheRestThenForgetsTheSession() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        h.session(sid)?.send(EngineIOEncodedPacket(.message, text: "41"))
        h.session(sid)?.close(.serverClosed)
        XCTAssertEqual(h.closes[sid], .serverClosed)
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling&sid=\(sid)").text, "441\u{1e}1")
        XCTAssertEqual(h.server.sessionCount, 0)
    }

    func testCORSEchoesAnAllowedOriginWithCredentials() throws {
        var options = EngineIOServerOptions()
        options.allowedOrigins = ["https://panel.example.com"]
        let h = try EngineIOHarness(options: options)
        let ok = try h.request("GET", "EIO=4&transport=polling", headers: ["Origin": "https://panel.example.com"])
        XCTAssertEqual(ok.last?.headers["Access-Control-Allow-Origin"], "https://panel.example.com")
        XCTAssertEqual(ok.last?.headers["Access-Control-Allow-Credentials"], "true")
        let refused = try h.request("GET", "EIO=4&transport=polling", headers: ["Origin": "https://evil.example"])
        XCTAssertEqual(refused.last?.status, 403)
        XCTAssertEqual(refused.json?["code"]?.int, 4)
        XCTAssertNil(refused.last?.headers["Access-Control-Allow-Origin"])
    }

    func testWildcardOriginIsEchoed() throws {
        let h = try EngineIOHarness()
        let box = try h.request("GET", "EIO=4&transport=polling", headers: ["Origin": "http://localhost:3000"])
        XCTAssertEqual(box.last?.headers["Access-Control-Allow-Origin"], "http://localhost:3000")
    }

    func testSessionTableIsBounded() throws {
        var options = EngineIOServerOptions()
        options.maxSessions = 2
        let h = try EngineIOHarness(options: options)
        _ = try h.handshake()
        _ = try h.handshake()
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling").last?.status, 503)
    }

    func testNamedLimits() {
        XCTAssertEqual(EngineIOServerOptions.defaultUpgradeTimeout, 10)
        XCTAssertEqual(EngineIOServerOptions.defaultMaxOutboxBytes, 1 << 20)
        XCTAssertEqual(EngineIOServerOptions.defaultMaxSessions, 20_000)
        XCTAssertEqual(EngineIOServer.sidRandomBytes, 15)
        let options = EngineIOServerOptions()
        XCTAssertEqual(options.pingInterval, 25)
        XCTAssertEqual(options.pingTimeout, 20)
        XCTAssertEqual(EngineIOServer(loop: try EventLoop(), options: options).options.webSocket.limits.maxMessage, 1_000_000)
    }
}
