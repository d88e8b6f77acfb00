import XCTest
@testable import api_gateway
@testable import Shared

/// Access-log levels: info for errors, slow answers and state changes, debug for the rest.
final class AccessLogPolicyTests: XCTestCase {
    func testLevelTable() {
        let policy = AccessLogPolicy(slowRequestMillis: 500)
        let cases: [(String, String, Int, UInt64, LogLevel)] = [
            ("GET", "/health", 200, 300, .debug),
            ("GET", "/api/leads", 200, 499_999, .debug),
            ("HEAD", "/api/leads", 200, 100, .debug),
            ("OPTIONS", "/api/leads", 204, 100, .debug),
            ("GET", "/api/leads", 200, 500_000, .info),          // slow
            ("GET", "/api/leads/x", 404, 100, .info),             // client error
            ("GET", "/api/admin/dashboard", 503, 100, .info),     // server error
            ("GET", "/health", 429, 100, .info),
            ("POST", "/api/auth/login", 200, 100, .info),         // state changes
            ("PUT", "/api/leads/x", 200, 100, .info),
            ("PATCH", "/api/leads/x", 200, 100, .info),
            ("DELETE", "/api/leads/x", 200, 100, .info),
            ("GET", "/socket.io/", 200, 25_000_000, .debug),     // a held poll is long by design
            ("POST", "/socket.io/", 200, 100, .debug),            // realtime messages
            ("POST", "/socket.io/", 400, 100, .info),
        ]
        for (method, path, status, micros, level) in cases {
            XCTAssertEqual(policy.level(method: method, path: path, status: status, micros: micros), level,
                           "\(method) \(path) \(status) \(micros)µs")
        }
    }

    func testThresholdIsConfigurable() {
        XCTAssertEqual(AccessLogPolicy(slowRequestMillis: 0).level(method: "GET", path: "/health", status: 200, micros: 0), .info)
        XCTAssertEqual(AccessLogPolicy(slowRequestMillis: 2000).level(method: "GET", path: "/x", status: 200, micros: 1_999_000), .debug)
    }

    func testPipelineLogsOnlyWhatMattersAtInfo() throws {
        let h = try GatewayHarness(env: ["IBRAT_LOG_LEVEL": "info"])
        h.logger.minimumLevel = .info
        _ = h.send("GET", "/health")
        _ = h.send("GET", "/api/no-such-route")
        _ = h.send("POST", "/api/auth/login", json: ["email": "nobody@example.com", "password": "x"])
        let lines = h.logs.records.map(\.message).filter { $0.hasPrefix("GET ") || $0.hasPrefix("POST ") }
        XCTAssertFalse(lines.contains { $0.hasPrefix("GET /health ") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("GET /api/no-such-route 404 ") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("POST /api/auth/login ") }, "\(lines)")
    }
}
