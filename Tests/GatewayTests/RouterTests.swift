import XCTest
@testable import api_gateway
@testable import Shared

final class RouterTests: XCTestCase {
    /// Routes `method target` and returns the response and the request as the handler saw it.
    func route(_ router: Router, _ method: String, _ target: String) throws -> (HTTPResponse?, HTTPRequest) {
        let request = try HTTPRequest(method: method, target: target)
        var answer: HTTPResponse?
        router.handle(request, HTTPResponder(request: request) { answer = $0 })
        return (answer, request)
    }

    func makeRouter() -> Router {
        let router = Router()
        let tag: (String) -> Router.Handler = { name in { req, res in
            res.send(.json(200, .object(["route": .string(name), "params": .object(JSONObject(req.pathParams.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }))])))
        } }
        router.get("/api/leads", tag("list"))
        router.post("/api/leads", tag("create"))
        router.get("/api/leads/:id", tag("get"))
        router.put("/api/leads/:id", tag("update"))
        router.delete("/api/leads/:id", tag("delete"))
        router.get("/api/leads/stats/summary", tag("stats"))
        router.get("/api/calls/:callId/notes/:noteId", tag("note"))
        router.get("/api-docs/*", tag("docs"))
        router.post("/api/leads/upload-csv", bodyLimit: HTTPLimits.uploadBodyBytes, tag("upload"))
        return router
    }

    func testParamsAndLiteralPreference() throws {
        let router = makeRouter()
        let (r1, req1) = try route(router, "GET", "/api/leads/65a1b2c3d4e5f6a7b8c9d0e1")
        XCTAssertEqual(r1?.status, 200)
        XCTAssertEqual(req1.pathParams, ["id": "65a1b2c3d4e5f6a7b8c9d0e1"])
        XCTAssertEqual(req1.routePattern, "/api/leads/:id")
        let (r2, _) = try route(router, "GET", "/api/leads/stats/summary")
        XCTAssertEqual(try JSON.parse(r2?.body ?? [])["route"], "stats")
        let (_, req3) = try route(router, "GET", "/api/calls/c1/notes/n%202?x=1")
        XCTAssertEqual(req3.pathParams, ["callId": "c1", "noteId": "n 2"])
        let (r4, _) = try route(router, "GET", "/api/leads/")
        XCTAssertEqual(try JSON.parse(r4?.body ?? [])["route"], "list", "one trailing slash is ignored")
        let (_, req5) = try route(router, "GET", "/api-docs/swagger/ui.css")
        XCTAssertEqual(req5.pathParams["*"], "swagger/ui.css")
    }

    func testLiteralPreferredButParamStillReachableByBacktracking() throws {
        let router = Router()
        router.get("/a/b/c") { _, res in res.send(.text(200, "literal")) }
        router.get("/a/:x/d") { req, res in res.send(.text(200, "param \(req.param("x") ?? "")")) }
        XCTAssertEqual(try route(router, "GET", "/a/b/c").0.map { String(decoding: $0.body, as: UTF8.self) }, "literal")
        XCTAssertEqual(try route(router, "GET", "/a/b/d").0.map { String(decoding: $0.body, as: UTF8.self) }, "param b")
    }

    func testUnknownPath404() throws {
        let (r, _) = try route(makeRouter(), "GET", "/api/nothing")
        XCTAssertEqual(r?.status, 404)
        XCTAssertEqual(try JSON.parse(r?.body ?? []), .object(["error": "Not Found", "message": "Route not found"]))
        XCTAssertEqual(try route(makeRouter(), "GET", "/api/leads//x").0?.status, 404, "empty segments never match a param")
    }

    func testWrongMethod405WithAllow() throws {
        let (r, _) = try route(makeRouter(), "PATCH", "/api/leads/42")
        XCTAssertEqual(r?.status, 405)
        XCTAssertEqual(r?.headers["Allow"], "DELETE, GET, HEAD, OPTIONS, PUT")
        XCTAssertEqual(try JSON.parse(r?.body ?? [])["error"], "Method Not Allowed")
        XCTAssertNotNil(try JSON.parse(r?.body ?? [])["message"]?.string)
    }

    func testHeadUsesGetRouteAndOptionsAnswersAllow() throws {
        let (head, _) = try route(makeRouter(), "HEAD", "/api/leads")
        XCTAssertEqual(try JSON.parse(head?.body ?? [])["route"], "list", "the server strips the body")
        let (options, _) = try route(makeRouter(), "OPTIONS", "/api/leads")
        XCTAssertEqual(options?.status, 204)
        XCTAssertEqual(options?.headers["Allow"], "GET, HEAD, OPTIONS, POST")
    }

    func testBodyLimitPerRoute() {
        let router = makeRouter()
        func head(_ method: String, _ target: String) -> HTTPRequestHead {
            HTTPRequestHead(method: method, target: target, version: .http11, headers: ["Host": "x"])
        }
        XCTAssertEqual(router.bodyLimit(for: head("POST", "/api/leads/upload-csv")), HTTPLimits.uploadBodyBytes)
        XCTAssertEqual(router.bodyLimit(for: head("POST", "/api/leads")), HTTPLimits.defaultBodyBytes)
        XCTAssertEqual(router.bodyLimit(for: head("POST", "/nowhere")), HTTPLimits.defaultBodyBytes)
        XCTAssertEqual(router.bodyLimit(for: head("GET", "/api/leads/upload-csv")), HTTPLimits.defaultBodyBytes)
    }

    func testRoutesOverARealSocket() throws {
        let t = try TestServer(handler: makeRouter().handle)
        defer { t.stop() }
        let c = try t.client()
        c.send("GET /api/leads/7 HTTP/1.1\r\nHost: x\r\n\r\nGET /zzz HTTP/1.1\r\nHost: x\r\n\r\nPOST /api/leads/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let responses = c.responses(3)
        XCTAssertEqual(responses.map(\.status), [200, 404, 405])
        XCTAssertEqual(responses[0].json?["params"]?["id"], "7")
        XCTAssertEqual(responses[1].json?["message"], "Route not found")
        XCTAssertEqual(responses[2].headers["Allow"], "DELETE, GET, HEAD, OPTIONS, PUT")
    }
}
