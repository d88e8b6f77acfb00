import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

/// `HTTPServer.onBodyStart`: called when a head announcing a body is parsed, before the body is
/// read; the connection holds the token until the request is complete, refused or abandoned.
final class HTTPServerBodyStartTests: XCTestCase {
    final class Token {}

    private func server(_ tokens: Box) throws -> TestServer {
        let t = try TestServer { req, res in res.send(.text(200, String(req.body.count))) }
        t.server.onBodyStart = { head in
            tokens.heads.append(head.method + " " + head.target)
            let token = Token()
            tokens.live.append(Weak(token))
            return token
        }
        return t
    }

    final class Box {
        var heads: [String] = []
        var live: [Weak] = []
        var alive: Int { live.filter { $0.object != nil }.count }
    }

    struct Weak {
        weak var object: Token?
        init(_ object: Token) { self.object = object }
    }

    func testTokenLivesWhileTheBodyArrivesAndIsReleasedWhenItIsComplete() throws {
        let box = Box()
        let t = try server(box)
        defer { t.stop() }
        let c = try t.client()
        c.send("POST /up?sid=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
        XCTAssertTrue(c.run(until: { box.heads.count == 1 }))
        XCTAssertEqual(box.heads, ["POST /up?sid=1"])
        XCTAssertEqual(box.alive, 1, "held while the body is still arriving")
        c.send("cd")
        XCTAssertEqual(c.responses(1).first?.text, "4")
        XCTAssertEqual(box.alive, 0)
    }

    func testTokenIsReleasedWhenTheConnectionDropsMidBody() throws {
        let box = Box()
        let t = try server(box)
        defer { t.stop() }
        let c = try t.client()
        c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        XCTAssertTrue(c.run(until: { box.alive == 1 }))
        c.abort()
        XCTAssertTrue(t.loop.run(until: { box.alive == 0 }, timeout: 3))
    }

    func testRequestsWithoutABodyAreNotReported() throws {
        let box = Box()
        let t = try server(box)
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(c.responses(2).count, 2)
        XCTAssertEqual(box.heads, [])
    }
}
