import XCTest
@testable import api_gateway

final class CORSPolicyTests: XCTestCase {
    func preflight(_ origin: String) throws -> HTTPRequest {
        try HTTPRequest(method: "OPTIONS", target: "/api/leads",
                        headers: ["Origin": origin, "Access-Control-Request-Method": "POST"])
    }

    func testWildcardAnswersStar() throws {
        let cors = CORSPolicy(allowedOrigins: ["*"])
        let request = try preflight("https://anything.example")
        XCTAssertTrue(cors.isPreflight(request))
        let r = cors.preflightResponse(for: request)
        XCTAssertEqual(r.status, 204)
        XCTAssertEqual(r.headers["Access-Control-Allow-Origin"], "*")
        XCTAssertNil(r.headers["Vary"])
        XCTAssertEqual(r.headers["Access-Control-Allow-Headers"], "Authorization, Content-Type, Idempotency-Key")
        XCTAssertEqual(r.headers["Access-Control-Allow-Methods"], "GET, HEAD, PUT, PATCH, POST, DELETE")
        XCTAssertEqual(r.headers["Access-Control-Max-Age"], String(CORSPolicy.defaultMaxAgeSeconds))
    }

    func testExactOriginsAreEchoedWithVary() throws {
        let cors = CORSPolicy(originList: "https://panel.example.com/, http://localhost:3000")
        let ok = cors.preflightResponse(for: try preflight("http://localhost:3000"))
        XCTAssertEqual(ok.headers["Access-Control-Allow-Origin"], "http://localhost:3000")
        XCTAssertEqual(ok.headers["Vary"], "Origin")
        let refused = cors.preflightResponse(for: try preflight("https://evil.example"))
        XCTAssertEqual(refused.status, 204)
        XCTAssertNil(refused.headers["Access-Control-Allow-Origin"])
        XCTAssertNil(refused.headers["Access-Control-Allow-Methods"])

        let simple = try HTTPRequest(method: "GET", target: "/api/leads", headers: ["Origin": "https://panel.example.com"])
        XCTAssertFalse(cors.isPreflight(simple))
        cors.applyHeaders(to: simple)
        XCTAssertEqual(simple.responseHeaders["Access-Control-Allow-Origin"], "https://panel.example.com")
        XCTAssertEqual(simple.responseHeaders["Vary"], "Origin")
        XCTAssertEqual(simple.responseHeaders["Access-Control-Expose-Headers"]?.contains("RateLimit-Remaining"), true)

        let other = try HTTPRequest(method: "GET", target: "/", headers: ["Origin": "https://evil.example"])
        cors.applyHeaders(to: other)
        XCTAssertNil(other.responseHeaders["Access-Control-Allow-Origin"])
    }

    func testPlainOptionsIsNotAPreflight() throws {
        let cors = CORSPolicy(allowedOrigins: ["*"])
        XCTAssertFalse(cors.isPreflight(try HTTPRequest(method: "OPTIONS", target: "/x")))
        XCTAssertFalse(cors.isPreflight(try HTTPRequest(method: "OPTIONS", target: "/x", headers: ["Origin": "a"])))
    }

    func testHeadersReachTheWire() throws {
        let cors = CORSPolicy(allowedOrigins: ["http://panel"])
        let router = Router()
        router.get("/x") { _, res in res.send(.text(200, "x")) }
        let t = try TestServer { req, res in
            if cors.isPreflight(req) { res.send(cors.preflightResponse(for: req)); return }
            cors.applyHeaders(to: req)
            router.handle(req, res)
        }
        defer { t.stop() }
        let c = try t.client()
        c.send("OPTIONS /x HTTP/1.1\r\nHost: h\r\nOrigin: http://panel\r\nAccess-Control-Request-Method: GET\r\n\r\n"
               + "GET /x HTTP/1.1\r\nHost: h\r\nOrigin: http://panel\r\n\r\n")
        let responses = c.responses(2)
        XCTAssertEqual(responses.map(\.status), [204, 200])
        XCTAssertEqual(responses[0].headers["Access-Control-Allow-Methods"], "GET, HEAD, PUT, PATCH, POST, DELETE")
        XCTAssertNil(responses[0].headers["Content-Length"], "204 carries no length")
        XCTAssertEqual(responses[1].headers["Access-Control-Allow-Origin"], "http://panel")
    }
}
