import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

/// `HTTPResponder.hijack`: the 101 goes out, the fd and the bytes read past the upgrade request
/// are handed over, and the HTTP server forgets the connection.
final class HTTPServerHijackTests: XCTestCase {
    static let upgrade = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\n\r\n"

    func testHijackHandsOverTheSocketAndTheBytesReadAhead() throws {
        var hijacked: HijackedConnection?
        let t = try TestServer { req, res in
            if req.headers["Upgrade"] == "websocket" {
                hijacked = res.hijack(response: HTTPResponse(status: 101, headers: ["Upgrade": "websocket"]))
            } else {
                res.send(.text(200, "plain"))
            }
        }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(c.responses(1).first?.text, "plain")
        c.send(Self.upgrade + "FRAME-BYTES GET /not-http HTTP/1.1\r\n\r\n")
        XCTAssertTrue(c.run(until: { hijacked != nil }))
        guard var handed = hijacked else { return }
        defer { Glibc.close(handed.fd) }
        XCTAssertEqual(String(decoding: handed.bufferedInput, as: UTF8.self), "FRAME-BYTES GET /not-http HTTP/1.1\r\n\r\n")
        XCTAssertEqual(t.server.connectionCount, 0)
        XCTAssertEqual(handed.pendingOutput.flush(to: handed.fd), .drained)
        XCTAssertTrue(c.run(until: { String(decoding: c.received, as: UTF8.self).contains("101 Switching") }), String(decoding: c.received, as: UTF8.self))
        let all = String(decoding: c.received, as: UTF8.self)
        guard let start = all.range(of: "HTTP/1.1 101") else { return }
        let text = String(all[start.lowerBound...])
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        XCTAssertTrue(text.contains("Upgrade: websocket\r\n"))
        XCTAssertTrue(text.contains("Connection: Upgrade\r\n"))
        XCTAssertFalse(text.contains("Content-Length"))
        // The new owner talks on the fd; the HTTP server does not interfere.
        let before = c.received.count
        _ = "ws-data".withCString { write(handed.fd, $0, 7) }
        XCTAssertTrue(c.run(until: { c.received.count == before + 7 }))
        XCTAssertFalse(c.eof)
    }

    func testHijackRefusedWhileEarlierAnswersAreOutstanding() throws {
        var held: HTTPResponder?
        var refused = false
        let t = try TestServer { req, res in
            if req.path == "/hold" { held = res; return }
            refused = res.hijack(response: HTTPResponse(status: 101, headers: ["Upgrade": "websocket"])) == nil
            res.send(.error(400, message: "cannot upgrade now"))
        }
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n" + Self.upgrade)
        XCTAssertTrue(c.run(until: { refused }))
        held?.send(.text(200, "first"))
        XCTAssertEqual(c.responses(2).map(\.status), [200, 400])
    }

    func testUpgradeAnsweredWithoutHijackResumesHTTP() throws {
        let t = try TestServer { req, res in res.send(.text(200, req.path)) }
        defer { t.stop() }
        let c = try t.client()
        c.send(Self.upgrade + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(c.responses(2).map(\.text), ["/socket.io/", "/after"])
    }
}
