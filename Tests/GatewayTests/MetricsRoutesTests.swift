import XCTest
@testable import api_gateway
@testable import Shared

/// `GET /metrics`: who may read it, the formats, the gateway's own counters, and the daemons'
/// `ibrat_daemon_up 0` when they are not reachable (the harness never starts its IPC clients).
final class MetricsRoutesTests: XCTestCase {
    private func harness(_ env: [String: String] = [:]) throws -> GatewayHarness {
        let h = try GatewayHarness(env: env)
        h.pipeline.metrics = h.ctx.metrics
        return h
    }

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    func testAccessByAddressAllowListAndAdminToken() throws {
        let h = try harness()
        let (_, admin) = try h.admin()
        let op = try h.createUser(email: "op@example.com")
        let outside = "203.0.113.5"
        XCTAssertEqual(h.send("GET", "/metrics").status, 200)
        XCTAssertEqual(h.send("GET", "/metrics", remote: "::1").status, 200)
        let refused = h.send("GET", "/metrics", remote: outside)
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(refused.errorText, "Forbidden")
        XCTAssertEqual(h.send("GET", "/metrics", token: h.token(for: op), remote: outside).status, 403)
        XCTAssertEqual(h.send("GET", "/metrics", token: "not-a-token", remote: outside).status, 401)
        XCTAssertEqual(h.send("GET", "/metrics", token: admin, remote: outside).status, 200)

        let allowed = try harness(["IBRAT_METRICS_ALLOW": "203.0.113.0/24"])
        XCTAssertEqual(allowed.send("GET", "/metrics", remote: outside).status, 200)
        XCTAssertEqual(allowed.send("GET", "/metrics", remote: "198.51.100.1").status, 403)
    }

    func testFormatsByAcceptHeader() throws {
        let h = try harness()
        let plain = h.send("GET", "/metrics")
        XCTAssertEqual(plain.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertFalse(text(plain).contains("# EOF"))
        let open = h.send("GET", "/metrics", headers: [("Accept", "application/openmetrics-text; version=1.0.0")])
        XCTAssertEqual(open.headers["Content-Type"], "application/openmetrics-text; version=1.0.0; charset=utf-8")
        XCTAssertTrue(text(open).hasSuffix("# EOF\n"))
        XCTAssertTrue(text(open).contains("# TYPE ibrat_http_requests counter\n"))
    }

    func testDaemonsThatAreDownShowUpZeroAndNoFigures() throws {
        let h = try harness()
        let body = text(h.send("GET", "/metrics", timeout: 0.5))
        XCTAssertTrue(body.contains("ibrat_daemon_up{daemon=\"api-gateway\"} 1\n"), body)
        XCTAssertTrue(body.contains("ibrat_daemon_up{daemon=\"queue-daemon\"} 0\n"), body)
        XCTAssertTrue(body.contains("ibrat_daemon_up{daemon=\"dialer-daemon\"} 0\n"), body)
        XCTAssertFalse(body.contains("ibrat_dispatch_decisions_total"))
        XCTAssertFalse(body.contains("ibrat_calls_active"))
        XCTAssertTrue(body.contains("ibrat_process_open_fds{daemon=\"api-gateway\"}"))
        XCTAssertTrue(body.contains("ibrat_socketio_connections{transport=\"polling\"} 0\n"))
    }

    func testRequestsAreCountedByRouteTemplateMethodAndStatus() throws {
        let h = try harness()
        _ = h.send("GET", "/health")
        _ = h.send("GET", "/health")
        _ = h.send("GET", "/api/users/0123456789abcdef01234567")
        _ = h.send("GET", "/no/such/route")
        _ = h.send("BREW", "/health")
        let body = text(h.send("GET", "/metrics"))
        XCTAssertTrue(body.contains("ibrat_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 2\n"), body)
        XCTAssertTrue(body.contains("ibrat_http_requests_total{route=\"/api/users/:id\",method=\"GET\",status=\"401\"} 1\n"))
        XCTAssertTrue(body.contains("ibrat_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"))
        XCTAssertTrue(body.contains("method=\"other\",status=\"405\"} 1\n"), body)
        XCTAssertTrue(body.contains("ibrat_http_request_duration_seconds_count{route=\"/health\",method=\"GET\"} 2\n"))
    }

    func testMetricsAreNotRateLimitedAndRefusalsAreCounted() throws {
        let h = try harness(["IBRAT_RATE_LIMIT": "1/900"])
        XCTAssertEqual(h.send("GET", "/api/nothing").status, 404)
        XCTAssertEqual(h.send("GET", "/api/nothing").status, 429)
        for _ in 0..<3 { XCTAssertEqual(h.send("GET", "/metrics").status, 200) }
        XCTAssertTrue(text(h.send("GET", "/metrics")).contains("ibrat_http_rate_limited_total 1\n"))
    }

    func testASecondRouterOnTheSameContextAddsNoDuplicateSeries() throws {
        let h = try harness()
        _ = GatewayRoutes.makeRouter(h.ctx)
        let body = text(h.send("GET", "/metrics", timeout: 0.5))
        XCTAssertEqual(body.components(separatedBy: "ibrat_socketio_connections{transport=\"polling\"}").count - 1, 1)
        XCTAssertEqual(body.components(separatedBy: "# TYPE ibrat_socketio_connections gauge").count - 1, 1)
    }

    func testAccessDecisionsAndTheAllowListSetting() throws {
        let access = MetricsAccess(allow: [CIDRBlock("10.0.0.0/8")!, CIDRBlock("fd00::/8")!])
        for address in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "10.200.3.4", "::ffff:10.1.2.3", "fd12::1"] {
            XCTAssertEqual(access.decide(remoteAddress: address), .byAddress, address)
        }
        for address in ["11.0.0.1", "fe80::1", "192.168.1.1", "", "unix"] {
            XCTAssertEqual(access.decide(remoteAddress: address), .needsAdminToken, address)
        }
        let base = ["STATE_DIRECTORY": "/tmp/x"]
        XCTAssertEqual(try Config.load(environment: base).metricsAllow, [])
        let config = try Config.load(environment: base.merging(["IBRAT_METRICS_ALLOW": " 10.0.0.0/8, fd00::/8 "]) { $1 })
        XCTAssertEqual(config.metricsAllow.map(\.description), ["10.0.0.0/8", "fd00::/8"])
        XCTAssertThrowsError(try Config.load(environment: base.merging(["IBRAT_METRICS_ALLOW": "10.0.0.0/40"]) { $1 })) { error in
            XCTAssertTrue("\(error)".hasPrefix("IBRAT_METRICS_ALLOW:"), "\(error)")
        }
    }
}
