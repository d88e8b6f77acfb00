import XCTest
@testable import api_gateway
import Shared

/// Issue 10: per-user limits for valid tokens, per-address limits for everything else, and client
/// addresses taken from forwarding headers only when the peer is a trusted proxy.
final class RateLimitPolicyTests: XCTestCase {
    func testUsersBehindOneAddressEachHaveTheirOwnWindow() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "3/60", "IBRAT_USER_RATE_LIMIT": "5/60"])
        let tokens = try (0..<4).map { h.token(for: try h.createUser(email: "op\($0)@example.com")) }
        for token in tokens {
            for _ in 0..<5 { XCTAssertEqual(h.send("GET", "/api/auth/me", token: token, remote: "198.51.100.1").status, 200) }
            let sixth = h.send("GET", "/api/auth/me", token: token, remote: "198.51.100.1")
            XCTAssertEqual(sixth.status, 429)
            XCTAssertEqual(sixth.headers["RateLimit-Limit"], "5")
        }
        // The same address's anonymous window is untouched by the users' requests.
        for _ in 0..<3 {
            XCTAssertEqual(h.send("POST", "/api/auth/login", json: ["email": "x@example.com", "password": "wrong-pass"],
                                  remote: "198.51.100.1").status, 401)
        }
        XCTAssertEqual(h.send("POST", "/api/auth/login", json: ["email": "x@example.com", "password": "wrong-pass"],
                              remote: "198.51.100.1").status, 429)
    }

    func testAnInvalidTokenCountsAgainstTheAddress() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "2/60"])
        for _ in 0..<2 { XCTAssertEqual(h.send("GET", "/api/auth/me", token: "forged.token.x", remote: "203.0.113.5").status, 401) }
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: "forged.token.x", remote: "203.0.113.5").status, 429)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: "forged.token.x", remote: "203.0.113.6").status, 401)
        XCTAssertEqual(h.pipeline.rateLimits.refusals, 1)
    }

    func testSpoofedForwardingFromAnUntrustedPeerChangesNothing() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "2/60"])
        for i in 0..<2 {
            XCTAssertEqual(h.send("GET", "/api/leads", headers: [("X-Forwarded-For", "10.9.9.\(i)")], remote: "203.0.113.7").status, 401)
        }
        XCTAssertEqual(h.send("GET", "/api/leads", headers: [("X-Forwarded-For", "10.9.9.3")], remote: "203.0.113.7").status, 429)
    }

    func testTrustedProxyForwardsEachClientsAddress() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "2/60", "IBRAT_TRUSTED_PROXIES": "127.0.0.1"])
        for client in ["198.51.100.20", "198.51.100.21"] {
            for _ in 0..<2 {
                XCTAssertEqual(h.send("GET", "/api/leads", headers: [("X-Forwarded-For", client)]).status, 401)
            }
            XCTAssertEqual(h.send("GET", "/api/leads", headers: [("X-Forwarded-For", client)]).status, 429)
        }
    }

    func testEitherLimitCanBeTurnedOff() throws {
        let h = try GatewayHarness(env: ["IBRAT_RATE_LIMIT": "1/60", "IBRAT_USER_RATE_LIMIT": "0"])
        let token = h.token(for: try h.createUser(email: "op@example.com"))
        for _ in 0..<20 { XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).status, 200) }
        XCTAssertNil(h.pipeline.rateLimits.perUser)
    }
}
