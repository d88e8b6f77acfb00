import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

final class HTTPServerTests: XCTestCase {
    /// Echoes method, path and body length; `/slow` answers 50 ms later.
    static func echo(_ loop: EventLoop) -> HTTPServer.Handler {
        return { request, responder in
            let response = HTTPResponse.json(200, .object([
                "method": .string(request.method), "path": .string(request.path),
                "bodyLength": .int(Int64(request.body.count)), "id": .string(request.query("id") ?? ""),
            ]))
            if request.path == "/slow" {
                loop.schedule(after: 0.05) { responder.send(response) }
            } else {
                responder.send(response)
            }
        }
    }

    func testKeepAliveServesTwoRequestsOnOneConnection() throws {
        var t: TestServer!
        t = try TestServer { req, res in HTTPServerTests.echo(t.loop)(req, res) }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(c.responses(1).first?.json?["path"], "/one")
        c.send("GET /two HTTP/1.1\r\nHost: x\r\n\r\n")
        let both = c.responses(2)
        XCTAssertEqual(both.count, 2)
        XCTAssertEqual(both.last?.json?["path"], "/two")
        XCTAssertNil(both.last?.headers["Connection"])
        XCTAssertNotNil(both.last?.headers["Date"])
        XCTAssertEqual(t.server.connectionCount, 1)
        XCTAssertFalse(c.eof)
    }

    func testPipelinedRequestsAnsweredInOrderWhenTheFirstAnswersLast() throws {
        var t: TestServer!
        t = try TestServer { req, res in HTTPServerTests.echo(t.loop)(req, res) }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /slow?id=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /fast?id=2 HTTP/1.1\r\nHost: x\r\n\r\n"
               + "POST /fast?id=3 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody")
        let responses = c.responses(3)
        XCTAssertEqual(responses.compactMap { $0.json?["id"]?.string }, ["1", "2", "3"])
        XCTAssertEqual(responses.last?.json?["bodyLength"], .int(4))
    }

    func testChunkedUpload() throws {
        var t: TestServer!
        t = try TestServer { req, res in HTTPServerTests.echo(t.loop)(req, res) }
        defer { t.stop() }
        let c = try t.client()
        c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        // The rest goes out once the server has read the first part (and is inside the body).
        XCTAssertTrue(c.run(until: { t.server.connections.values.first?.parser.isReadingBody == true }))
        c.send("6;x=y\r\n world\r\n0\r\nTrailer: z\r\n\r\n")
        XCTAssertEqual(c.responses(1).first?.json?["bodyLength"], .int(11))
    }

    func testHeadAnswersWithoutBodyButWithTheGetLength() throws {
        let router = Router()
        router.get("/doc") { _, res in res.send(.text(200, "twelve bytes")) }
        let t = try TestServer(handler: router.handle)
        defer { t.stop() }
        let c = try t.client()
        c.send("HEAD /doc HTTP/1.1\r\nHost: x\r\n\r\nGET /doc HTTP/1.1\r\nHost: x\r\n\r\n")
        let responses = c.responses(2, headIndexes: [0])
        XCTAssertEqual(responses.count, 2)
        XCTAssertEqual(responses[0].headers["Content-Length"], "12")
        XCTAssertEqual(responses[0].body, [])
        XCTAssertEqual(responses[1].text, "twelve bytes", "no stray HEAD body before the second response")
    }

    func testConnectionCloseAndHTTP10() throws {
        var t: TestServer!
        t = try TestServer { req, res in HTTPServerTests.echo(t.loop)(req, res) }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(c.waitForClose())
        let responses = HTTPTestClient.parse(c.received)
        XCTAssertEqual(responses.count, 1)
        XCTAssertEqual(responses.first?.headers["Connection"], "close")

        let old = try t.client()
        old.send("GET /b HTTP/1.0\r\n\r\n")
        XCTAssertTrue(old.waitForClose())
        XCTAssertEqual(HTTPTestClient.parse(old.received).first?.headers["Connection"], "close")

        let kept = try t.client()
        kept.send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(kept.responses(1).first?.headers["Connection"], "keep-alive")
        XCTAssertFalse(kept.eof)
    }

    func testExpectContinue() throws {
        var t: TestServer!
        t = try TestServer { req, res in HTTPServerTests.echo(t.loop)(req, res) }
        defer { t.stop() }
        let c = try t.client()
        c.send("PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        XCTAssertTrue(c.run(until: { String(decoding: c.received, as: UTF8.self).hasPrefix("HTTP/1.1 100 Continue\r\n\r\n") }))
        c.send("abc")
        XCTAssertEqual(c.responses(1).first?.json?["bodyLength"], .int(3))
    }

    func testSendAfterPeerClosedIsANoOpAndHooksRun() throws {
        var held: HTTPResponder?
        var logged: [(String, Int)] = []
        let t = try TestServer { req, res in
            if req.path == "/hold" { held = res } else { res.send(.text(201, "ok")) }
        }
        defer { t.stop() }
        t.server.onResponse = { req, status, _ in logged.append((req.path, status)) }
        let c = try t.client()
        c.send("GET /fine HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(c.responses(1).first?.status, 201)
        c.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(c.run(until: { held != nil }))
        XCTAssertEqual(held?.isConnectionOpen, true)
        c.abort()
        XCTAssertTrue(c.run(until: { t.server.connectionCount == 0 }))
        XCTAssertEqual(held?.isConnectionOpen, false)
        held?.send(.text(200, "late"))
        XCTAssertEqual(logged.map(\.0), ["/fine"])
        XCTAssertEqual(logged.map(\.1), [201])
    }

    func testResponseHeadersFromMiddlewareAreMerged() throws {
        let t = try TestServer { req, res in
            req.responseHeaders.add("X-Request-ID", "abc")
            req.responseHeaders.add("X-Own", "middleware")
            res.send(HTTPResponse(status: 200, headers: ["X-Own": "handler", "Content-Length": "999"], body: [65]))
        }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let r = c.responses(1).first
        XCTAssertEqual(r?.headers["X-Request-ID"], "abc")
        XCTAssertEqual(r?.headers.values("X-Own"), ["handler"])
        XCTAssertEqual(r?.headers["Content-Length"], "1", "the server writes the real length")
    }

    func testMaxConnectionsAcceptsAndClosesTheExtraOne() throws {
        var options = HTTPServerOptions()
        options.maxConnections = 1
        let t = try TestServer(options: options) { _, res in res.send(.empty()) }
        defer { t.stop() }
        let first = try t.client()
        XCTAssertTrue(first.run(until: { t.server.connectionCount == 1 }))
        let second = try t.client()
        XCTAssertTrue(second.waitForClose())
        XCTAssertTrue(second.received.isEmpty)
        first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(first.responses(1).first?.status, 204)
    }

    func testBackPressureLimitsPendingRequests() throws {
        var options = HTTPServerOptions()
        options.maxPendingRequests = 2
        var held: [HTTPResponder] = []
        let t = try TestServer(options: options) { _, res in held.append(res) }
        defer { t.stop() }
        let c = try t.client()
        c.send(String(repeating: "GET /p HTTP/1.1\r\nHost: x\r\n\r\n", count: 5))
        XCTAssertTrue(c.run(until: { held.count >= 2 }, timeout: 1))
        // Paused: nothing is parsed and the socket is not watched until an answer goes out, so
        // no later request can reach the handler meanwhile.
        let connection = try XCTUnwrap(t.server.connections.values.first)
        XCTAssertTrue(c.run(until: { !connection.interest.contains(.readable) }))
        XCTAssertFalse(connection.canParse)
        XCTAssertEqual(held.count, 2, "reading pauses at the pending limit")
        var answered = 0
        XCTAssertTrue(c.run(until: {
            while answered < held.count {
                held[answered].send(.text(200, "\(answered)"))
                answered += 1
            }
            return answered == 5
        }))
        XCTAssertEqual(c.responses(5).map(\.text), ["0", "1", "2", "3", "4"])
    }

    func testHalfClosedClientStillGetsItsPendingAnswer() throws {
        var held: HTTPResponder?
        let t = try TestServer { _, res in held = res }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(c.run(until: { held != nil }))
        c.shutdownWrite()
        let connection = try XCTUnwrap(t.server.connections.values.first)
        XCTAssertTrue(c.run(until: { connection.peerClosed }), "the server read the end of the stream")
        XCTAssertEqual(t.server.connectionCount, 1)
        held?.send(.text(200, "still here"))
        XCTAssertTrue(c.waitForClose())
        XCTAssertEqual(HTTPTestClient.parse(c.received).first?.text, "still here")
        XCTAssertEqual(t.server.connectionCount, 0)
    }

    func testQueuedOutputPausesReading() throws {
        var options = HTTPServerOptions()
        options.maxOutboundBytes = 64 * 1024
        var handled: [String] = []
        let big = [UInt8](repeating: 0x62, count: 32 * 1024 * 1024) // more than loopback buffers hold
        let t = try TestServer(options: options) { req, res in
            handled.append(req.path)
            res.send(req.path == "/big" ? .bytes(200, big, contentType: "application/octet-stream") : .text(200, "small"))
        }
        defer { t.stop() }
        let c = try t.client()
        c.pauseReading()
        c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(c.run(until: { !handled.isEmpty }))
        // Settled: the kernel's buffers are full, more than the limit is queued and only
        // writability is watched; nothing can happen until the client reads.
        let connection = try XCTUnwrap(t.server.connections.values.first)
        XCTAssertTrue(c.run(until: {
            var poll = pollfd(fd: connection.fd, events: Int16(POLLOUT), revents: 0)
            return connection.interest == .writable && connection.outbound.count >= options.maxOutboundBytes
                && Glibc.poll(&poll, 1, 0) == 0
        }))
        XCTAssertFalse(connection.canParse)
        XCTAssertEqual(handled, ["/big"], "the second request waits while the first answer is queued")
        c.resumeReading()
        let responses = c.responses(2, timeout: 10)
        XCTAssertEqual(responses.map(\.body.count), [big.count, 5])
        XCTAssertEqual(handled, ["/big", "/small"])
    }
}
