import Foundation
import Glibc
import TestSupport
import XCTest
@testable import api_gateway
@testable import Shared

/// `GatewayApp` start-up (secret, first admin, listener, IPC event forwarding, status text),
/// the middleware (rate limit, CORS), IPC forwarding errors and the graceful stop.
final class AppTests: XCTestCase {
    private var dirs: [TemporaryDirectory] = []

    override func tearDown() { dirs.removeAll() }

    private func makeApp(_ env: [String: String] = [:]) throws -> (GatewayApp, LogCapture) {
        let temp = try TemporaryDirectory(prefix: "gwapp")
        dirs.append(temp)
        let dir = temp.path
        var environment = ["STATE_DIRECTORY": dir, "IBRAT_HTTP_PORT": "0", "IBRAT_IPC_TIMEOUT_MS": "300"]
        environment.merge(env) { $1 }
        let logs = LogCapture()
        let app = GatewayApp(config: try Config.load(environment: environment), loop: try EventLoop(),
                             logger: Logger(identifier: "api-gateway", minimumLevel: .debug, sink: .capture(logs)))
        app.useSocketActivation = false
        return (app, logs)
    }

    func testStartGeneratesSecretCreatesAdminAndServes() throws {
        let (app, logs) = try makeApp(["IBRAT_ADMIN_EMAIL": "Boss@Example.com", "IBRAT_ADMIN_PASSWORD": "password123"])
        try app.start()
        let secretPath = app.config.stateDir + "/jwt-secret"
        var info = stat()
        XCTAssertEqual(stat(secretPath, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertEqual(JWTSecretLoader.readSecret(secretPath)?.count, 64)
        XCTAssertTrue(logs.lines.contains { $0.hasPrefix("<5>generated a new JWT secret") })
        XCTAssertTrue(logs.lines.contains { $0.contains("created the first admin boss@example.com") })
        XCTAssertTrue(logs.lines.contains { $0.contains("listening on http://127.0.0.1:\(app.port)") })
        XCTAssertEqual(app.statusText(), "serving on 127.0.0.1:\(app.port), queue-daemon down, dialer-daemon down")

        let client = try HTTPTestClient(loop: app.loop, port: app.port)
        client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        let health = client.responses(1).first
        XCTAssertEqual(health?.status, 200)
        XCTAssertEqual(health?.json?["status"], "OK")
        client.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 55\r\n\r\n"
                    + #"{"email":"boss@example.com","password":"password123"}  "#)
        let login = client.responses(2, timeout: 5).last
        XCTAssertEqual(login?.status, 200, login?.text ?? "no response")
        XCTAssertEqual(login?.json?["user"]?["role"], "admin")
        XCTAssertTrue(app.loop.run(until: { logs.lines.contains { $0.contains("POST /api/auth/login 200") } }, timeout: 1))

        var stopped = false
        app.shutdown { stopped = true }
        XCTAssertTrue(app.loop.run(until: { stopped }, timeout: 2))
    }

    func testExistingSecretIsReusedAndBadSecretFilesStopWith78() throws {
        let (first, _) = try makeApp()
        try first.start()
        let secret = JWTSecretLoader.readSecret(first.config.stateDir + "/jwt-secret")
        var done = false
        first.shutdown { done = true }
        _ = first.loop.run(until: { done }, timeout: 2)
        let logger = Logger(identifier: "t", sink: .capture(LogCapture()))
        XCTAssertEqual(try JWTSecretLoader.load(config: first.config, logger: logger), Array((secret ?? "").utf8))

        let (missing, _) = try makeApp(["IBRAT_JWT_SECRET_FILE": "/nonexistent/jwt"])
        XCTAssertThrowsError(try missing.start()) { error in
            let startup = error as? GatewayStartupError
            XCTAssertEqual(startup?.exitCode, 78)
            XCTAssertTrue(startup?.message.hasPrefix("IBRAT_JWT_SECRET_FILE (/nonexistent/jwt)") ?? false)
        }
        let shortDir = try TemporaryDirectory(prefix: "gw-short")
        dirs.append(shortDir)
        let shortFile = try shortDir.write("jwt", "too-short\n")
        let (short, _) = try makeApp(["IBRAT_JWT_SECRET_FILE": shortFile])
        XCTAssertThrowsError(try short.start()) { error in
            XCTAssertEqual((error as? GatewayStartupError)?.exitCode, 78)
            XCTAssertTrue("\(error)".contains("at least 32 characters"))
        }
    }

    func testDaemonEventsReachTheBusAndStatusFollowsPeers() throws {
        let (app, _) = try makeApp()
        try app.config.ensureDirectories()
        let listenFD = try Socket.listenUnix(path: app.config.queueSocketPath)
        let server = try IPCServer(loop: app.loop, listenFD: listenFD, role: "queue", allowedPeers: ["gateway"]) { _ in }
        server.onCommand("queue.control") { _, reply in
            reply(.failure(IPCError(wireCode: "paused", status: 409, error: "Queue already paused", message: "The queue is paused")))
        }
        try app.start()
        let ctx = try XCTUnwrap(app.ctx)
        XCTAssertTrue(app.loop.run(until: { ctx.queue.isConnected }, timeout: 3))
        XCTAssertEqual(app.statusText(), "serving on 127.0.0.1:\(app.port), queue-daemon up, dialer-daemon down")
        var received: [GatewayEvent] = []
        ctx.events.subscribe { received.append($0) }
        // The subscription went out at connect; a later request's answer proves the server read it.
        var fence: Result<JSONObject, IPCError>?
        ctx.queue.request(QueueCommand.control, body: ["action": "pause_queue"]) { fence = $0 }
        XCTAssertTrue(app.loop.run(until: { fence != nil }, timeout: 2))
        server.publish(QueueEvent.queuePaused, body: ["by": "x"])
        XCTAssertTrue(app.loop.run(until: { !received.isEmpty }, timeout: 2))
        XCTAssertEqual(received.first?.origin, .queue)
        XCTAssertEqual(received.first?.type, "event.queue_paused")
        XCTAssertEqual(received.first?.body, ["by": "x"])

        let request = try HTTPRequest(method: "POST", target: "/api/admin/system/control")
        var response: HTTPResponse?
        ctx.forward(ControlBody(action: .pauseQueue),
                    responder: HTTPResponder(request: request) { response = $0 }) { .json(200, .object($0)) }
        XCTAssertTrue(app.loop.run(until: { response != nil }, timeout: 2))
        XCTAssertEqual(response?.status, 409)
        XCTAssertEqual(response?.json, ["error": "Queue already paused", "message": "The queue is paused"])
        server.stop()
    }

    func testForwardToAbsentDaemonAnswers503WithinTheTimeout() throws {
        let h = try GatewayHarness()
        h.ctx.queue.start()
        h.ctx.route(h.router, "POST", "/api/test/forward", access: .public) { _, res in
            h.ctx.forward(ControlBody(action: .getQueueStatus), responder: res) { .json(200, .object($0)) }
        }
        let response = h.send("POST", "/api/test/forward", timeout: Double(h.config.ipcTimeoutMillis) / 1000 + 0.5)
        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(response.json, ["error": "Service Unavailable", "message": "queue-daemon is not reachable"])
    }

    func testRateLimitOnAPIButNotHealth() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "3/60"])
        for _ in 0..<3 { XCTAssertEqual(h.send("GET", "/api/nothing").status, 404) }
        let limited = h.send("GET", "/api/nothing")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.errorText, "Too Many Requests")
        XCTAssertEqual(limited.headers["Retry-After"], "60")
        XCTAssertEqual(limited.headers["RateLimit-Limit"], "3")
        XCTAssertEqual(limited.headers["RateLimit-Remaining"], "0")
        XCTAssertNotNil(limited.headers["X-Request-ID"])
        for _ in 0..<5 { XCTAssertEqual(h.send("GET", "/health").status, 200) }
        XCTAssertEqual(h.send("GET", "/api/nothing", remote: "10.0.0.2").status, 404, "keyed on the peer IP")
        h.clock.advance(byMillis: 60_000)
        XCTAssertEqual(h.send("GET", "/api/nothing").status, 404, "a new window")
        XCTAssertTrue(GatewayPipeline.isRateLimitExempt("/socket.io/"))
        XCTAssertFalse(GatewayPipeline.isRateLimitExempt("/api/auth/login"))
    }

    func testCORSPreflightAndAccessLog() throws {
        let h = try GatewayHarness(env: ["IBRAT_CORS_ORIGINS": "https://panel.example.com"])
        let preflight = h.send("OPTIONS", "/api/users", headers: [("Origin", "https://panel.example.com"),
                                                                  ("Access-Control-Request-Method", "GET")])
        XCTAssertEqual(preflight.status, 204)
        XCTAssertEqual(preflight.headers["Access-Control-Allow-Origin"], "https://panel.example.com")
        let other = h.send("GET", "/health", headers: [("Origin", "https://evil.example.com")])
        XCTAssertNil(other.headers["Access-Control-Allow-Origin"])
        let user = try h.createUser(email: "op@example.com")
        _ = h.send("GET", "/api/auth/me", token: h.token(for: user), headers: [("X-Request-ID", "trace-42")])
        XCTAssertTrue(h.logs.lines.contains {
            $0.contains("GET /api/auth/me 200") && $0.contains("REQUEST_ID=trace-42") && $0.contains("USER_ID=\(user.id)")
        }, h.logs.lines.joined(separator: "\n"))
    }

    func testShutdownWaitsForRequestsInFlight() throws {
        let (app, _) = try makeApp()
        try app.start()
        var pending: HTTPResponder?
        app.pipeline?.router.get("/api/test/slow") { _, res in pending = res }
        let client = try HTTPTestClient(loop: app.loop, port: app.port)
        client.send("GET /api/test/slow HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(app.loop.run(until: { pending != nil }, timeout: 2))
        var stopped = false
        app.shutdown { stopped = true }
        // Past the grace period the app waits for the pipeline to go idle: only the request's
        // answer (or the drain timeout) can finish the stop from there.
        XCTAssertTrue(app.loop.run(until: { app.pipeline?.onIdle != nil || stopped }, timeout: 5))
        XCTAssertFalse(stopped, "waits for the request in flight")
        let late = try HTTPTestClient(loop: app.loop, port: app.port)  // connected: in the listen backlog
        late.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        app.loop.runReady()  // an accepting listener would be readable now and take it
        XCTAssertEqual(app.server?.connectionCount, 1, "no new connection is accepted while draining")
        XCTAssertTrue(late.received.isEmpty, "no new connection is served while draining")
        pending?.send(.json(200, ["done": true]))
        XCTAssertEqual(client.responses(1).first?.status, 200)
        XCTAssertTrue(app.loop.run(until: { stopped }, timeout: 2))
        XCTAssertTrue(late.run(until: { late.eof || late.reset }, timeout: 2), "the listener is closed after the stop")
        XCTAssertTrue(late.received.isEmpty)
    }

    func testShutdownDoesNotWaitForAClientThatLeft() throws {
        let (app, _) = try makeApp()
        try app.start()
        var pending: HTTPResponder?
        app.pipeline?.router.get("/api/test/slow") { _, res in pending = res }
        let client = try HTTPTestClient(loop: app.loop, port: app.port)
        client.send("GET /api/test/slow HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(app.loop.run(until: { pending != nil }, timeout: 2))
        XCTAssertEqual(app.pipeline?.inFlight, 1)
        client.abort()
        XCTAssertTrue(app.loop.run(until: { app.pipeline?.inFlight == 0 }, timeout: 2))
        var stopped = false
        app.shutdown { stopped = true }
        XCTAssertTrue(app.loop.run(until: { stopped }, timeout: GatewayApp.drainTimeoutSeconds / 2))
    }
}
