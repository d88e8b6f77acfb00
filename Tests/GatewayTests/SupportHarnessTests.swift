import Foundation
import XCTest
@testable import api_gateway
@testable import Shared

/// A gateway context on a temporary database with a manual clock, no sockets: requests go
/// through the real pipeline and router with an `HTTPResponder(request:sink:)`, and the loop is
/// turned until the answer arrives (workers and IPC completions post back to it).
final class GatewayHarness {
    static let password = "password123"
    /// One hash of `password`, shared by every harness (hashing is slow by design).
    static let passwordHash: String = (try? PasswordHasher.hash(password)) ?? ""

    let dir: String
    let loop: EventLoop
    let clock = ManualWallClock(now: 1_700_000_000_000)
    let logs = LogCapture()
    let logger: Logger
    let config: Config
    let db: Database
    let ctx: GatewayContext
    let router: Router
    let pipeline: GatewayPipeline

    init(env: [String: String] = [:]) throws {
        dir = NSTemporaryDirectory() + "gw-" + SecureRandom.hex(4)
        var environment = ["STATE_DIRECTORY": dir, "IBRAT_RUNTIME_DIR": dir + "/run",
                           "IBRAT_JWT_SECRET": String(repeating: "k", count: 40), "IBRAT_IPC_TIMEOUT_MS": "200",
                           "IBRAT_LOG_LEVEL": "debug"]
        environment.merge(env) { $1 }
        config = try Config.load(environment: environment)
        try config.ensureDirectories()
        loop = try EventLoop()
        logger = Logger(identifier: "api-gateway", minimumLevel: .debug, sink: .capture(logs))
        db = try Database(path: config.dbPath, owner: .gateway)
        try Schema.migrate(db, owner: .gateway, now: clock.nowMillis())
        ctx = try GatewayContext(loop: loop, config: config, logger: logger, db: db, clock: clock,
                                 jwtSecret: Array(String(repeating: "k", count: 40).utf8))
        router = GatewayRoutes.makeRouter(ctx)
        pipeline = GatewayPipeline(router: router, config: config, clock: clock, logger: logger,
                                       tokens: ctx.tokens)
    }

    deinit {
        ctx.queue.stop()
        ctx.dialer.stop()
        db.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Sends a request through the pipeline and waits (loop turning) for the response.
    func send(_ method: String, _ target: String, json: JSON? = nil, token: String? = nil,
              headers: [(String, String)] = [], rawBody: [UInt8]? = nil, remote: String = "127.0.0.1",
              timeout: Double = 5) -> HTTPResponse {
        var h = HTTPHeaders(headers)
        if let token { h.add("Authorization", "Bearer " + token) }
        var body: [UInt8] = rawBody ?? []
        if let json {
            body = json.serialized()
            if h["Content-Type"] == nil { h.add("Content-Type", "application/json") }
        }
        guard let request = try? HTTPRequest(method: method, target: target, headers: h, body: body,
                                             remoteAddress: remote) else {
            return HTTPResponse(status: 0)
        }
        var response: HTTPResponse?
        pipeline.handle(request, HTTPResponder(request: request) { response = $0 })
        _ = loop.run(until: { response != nil }, timeout: timeout)
        if let response { pipeline.accessLog(request, status: response.status, micros: 1) }
        return response ?? HTTPResponse(status: 0)
    }

    @discardableResult
    func createUser(name: String = "Test User", email: String, phone: String? = nil, role: UserRole = .operator_,
                    active: Bool = true, available: Bool = true) throws -> UserRecord {
        clock.advance(byMillis: 1000)
        let now = clock.nowMillis()
        let user = UserRecord(id: ObjectID.generate(nowMillis: now), name: name, email: email,
                              phone: phone ?? "+99890" + String(format: "%07d", Int.random(in: 0..<10_000_000)),
                              passwordHash: Self.passwordHash, role: role, isActive: active, isAvailable: available,
                              createdAt: now, updatedAt: now)
        try ctx.users.insert(user)
        return user
    }

    func token(for user: UserRecord) -> String { ctx.tokens.issue(userID: user.id, role: user.role).token }

    /// An admin and their token.
    func admin(email: String = "admin@example.com") throws -> (UserRecord, String) {
        let user = try createUser(name: "Admin", email: email, role: .admin)
        return (user, token(for: user))
    }
}

extension HTTPResponse {
    var json: JSONObject { (try? JSON.parse(body))?.object ?? JSONObject() }
    var errorText: String? { json["error"]?.string }
    var messageText: String? { json["message"]?.string }
}

final class SupportHarnessTests: XCTestCase {
    /// Issue 16: thousands of requests waiting at once (long-polls) must not make every new
    /// request sweep the in-flight table: sweeps stay rare while all of them stay counted.
    func testManyWaitingRequestsDoNotSweepOnEveryRequest() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "0"])
        var held: [HTTPResponder] = []
        h.router.get("/api/test/wait") { _, res in held.append(res) }
        for _ in 0..<5000 {
            let request = try HTTPRequest(method: "GET", target: "/api/test/wait")
            h.pipeline.handle(request, HTTPResponder(request: request) { _ in })
        }
        XCTAssertEqual(held.count, 5000)
        XCTAssertEqual(h.pipeline.inFlight, 5000)
        XCTAssertLessThanOrEqual(h.pipeline.pendingSweeps, 4, "a sweep per doubling, not per request")
        for responder in held { responder.send(.empty()) }
        XCTAssertEqual(h.pipeline.inFlight, 0)
    }

    func testHealthThroughPipelineHasSecurityHeadersButNoAPICacheControl() throws {
        let h = try GatewayHarness()
        let response = h.send("GET", "/health")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.json["status"], "OK")
        XCTAssertNotNil(response.json["uptime"]?.double)
        XCTAssertEqual(response.json["timestamp"]?.string, "2023-11-14T22:13:20.000Z")
        XCTAssertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        XCTAssertEqual(response.headers["X-Frame-Options"], "DENY")
        XCTAssertEqual(response.headers["Referrer-Policy"], "no-referrer")
        XCTAssertNil(response.headers["Cache-Control"])
        XCTAssertNotNil(response.headers["X-Request-ID"])
        let api = h.send("GET", "/api/nothing-here")
        XCTAssertEqual(api.status, 404)
        XCTAssertEqual(api.headers["Cache-Control"], "no-store")
    }

    func testLikePatternEscapesWildcards() {
        XCTAssertEqual(LikePattern.contains("a%b_c\\d"), "%a\\%b\\_c\\\\d%")
        XCTAssertEqual(LikePattern.contains("АЛИШЕР"), "%алишер%")
        XCTAssertEqual(LikePattern.clause("name"), "ufold(name) LIKE ? ESCAPE '\\'")
    }

    func testDomainCheckIsOnePassWithTheSameRules() {
        let good = ["example.com", "a.b.uz", "sub-domain.example.info", "x1.y2.museum", String(repeating: "a", count: 63) + ".uz"]
        let bad = ["", "com", ".example.com", "example.com.", "example..com", "-a.com", "a-.com", "a.c", "a.c0m", "a_b.com",
                   "a.b.c1", String(repeating: "a", count: 64) + ".uz", "ex ample.com", "a.-com"]
        for domain in good { XCTAssertTrue(EmailAddress.isValidDomain(Array(domain.utf8)[...]), domain) }
        for domain in bad { XCTAssertFalse(EmailAddress.isValidDomain(Array(domain.utf8)[...]), domain) }
    }

    func testEmailAddressRules() {
        XCTAssertEqual(EmailAddress.normalize("  John.Doe+sales@Example.INFO "), "john.doe+sales@example.info")
        for bad in ["", "a", "a@b", "a@localhost", "@x.com", "a@.com", "a..b@x.com", ".a@x.com", "a@x..com",
                    "a@-x.com", "a@x.c", "a b@x.com", "a@x.com1", String(repeating: "a", count: 65) + "@x.com"] {
            XCTAssertNil(EmailAddress.normalize(bad), bad)
        }
    }

    func testErrorMapperHidesInternalsAndNamesMissingDaemon() throws {
        let h = try GatewayHarness()
        let request = try HTTPRequest(method: "GET", target: "/api/x")
        request.requestID = "req-1"
        let sqlError = DatabaseError(code: 1, message: "near \"SELEC\": syntax error", sql: "SELEC * FROM users")
        let hidden = h.ctx.errors.response(for: sqlError, request: request)
        XCTAssertEqual(hidden.status, 500)
        XCTAssertEqual(hidden.errorText, "Internal Server Error")
        XCTAssertFalse(String(decoding: hidden.body, as: UTF8.self).contains("SELEC"))
        XCTAssertTrue(h.logs.lines.contains { $0.contains("syntax error") && $0.contains("REQUEST_ID=req-1") })
        let noCalls = h.ctx.errors.response(for: DatabaseError(code: 1, message: "no such table: calls"), request: request)
        XCTAssertEqual(noCalls.status, 503)
        XCTAssertEqual(noCalls.messageText, "dialer-daemon has not initialised the database yet")
        let noLeads = h.ctx.errors.response(for: DatabaseError(code: 1, message: "no such table: main.leads"), request: request)
        XCTAssertEqual(noLeads.messageText, "queue-daemon has not initialised the database yet")
        let ipc = h.ctx.errors.response(for: IPCError.conflict(error: "Lead is not available for claiming", message: "m"),
                                        request: request)
        XCTAssertEqual(ipc.status, 409)
        XCTAssertEqual(ipc.errorText, "Lead is not available for claiming")
    }
}
