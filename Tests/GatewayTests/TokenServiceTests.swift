import XCTest
@testable import api_gateway
@testable import Shared

/// `TokenService`: claims, pinned algorithm, expiry on an injected clock, revocation kept in
/// memory and in `revoked_tokens`, pruning of expired revocations.
final class TokenServiceTests: XCTestCase {
    private let secret = Array(String(repeating: "s", count: 32).utf8)

    private func makeService(_ h: GatewayHarness, ttl: Int = 3600) throws -> TokenService {
        try TokenService(secret: secret, ttlSeconds: ttl, clock: h.clock, db: h.db)
    }

    func testIssuedClaims() throws {
        let h = try GatewayHarness()
        let service = try makeService(h)
        let id = ObjectID.generate(nowMillis: h.clock.nowMillis())
        let (token, claims) = service.issue(userID: id, role: .admin)
        XCTAssertEqual(claims.userID, id)
        XCTAssertEqual(claims.role, "admin")
        XCTAssertEqual(claims.jti.count, 2 * TokenService.jtiBytes)
        XCTAssertEqual(claims.issuedAt, h.clock.nowMillis() / 1000)
        XCTAssertEqual(claims.expiresAt, claims.issuedAt + 3600)
        XCTAssertEqual(service.verify(token), .success(claims))
        let payload = try XCTUnwrap(JWT.unverifiedClaims(token))
        XCTAssertEqual(payload.keys, ["userId", "role", "jti", "iat", "exp"])
        XCTAssertNotEqual(service.issue(userID: id, role: .admin).claims.jti, claims.jti)
    }

    func testRefusesForeignAlgorithmsAndBadClaims() throws {
        let h = try GatewayHarness()
        let service = try makeService(h)
        let id = ObjectID.generate(nowMillis: 1)
        let claims: JSONObject = ["userId": .string(id), "jti": "j1", "exp": .int(h.clock.nowMillis() / 1000 + 60)]
        let body = Base64URL.encode(Array(JSON.object(claims).serialized()))
        let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + body + "."
        XCTAssertEqual(service.verify(none), .failure(.invalid))
        XCTAssertEqual(service.verify("garbage"), .failure(.invalid))
        let noJTI = JWT.sign(claims: ["userId": .string(id), "exp": .int(h.clock.nowMillis() / 1000 + 60)], secret: secret)
        XCTAssertEqual(service.verify(noJTI), .failure(.invalid))
        let badUser = JWT.sign(claims: ["userId": "1", "jti": "j", "exp": .int(h.clock.nowMillis() / 1000 + 60)], secret: secret)
        XCTAssertEqual(service.verify(badUser), .failure(.invalid))
    }

    func testExpiryFollowsTheInjectedClock() throws {
        let h = try GatewayHarness()
        let service = try makeService(h, ttl: 10)
        let (token, _) = service.issue(userID: ObjectID.generate(nowMillis: 1), role: .operator_)
        h.clock.advance(byMillis: 9_999)
        XCTAssertNotNil(try? service.verify(token).get())
        h.clock.advance(byMillis: 1)
        XCTAssertEqual(service.verify(token), .failure(.expired))
    }

    func testRevocationPersistsAndPrunes() throws {
        let h = try GatewayHarness()
        let service = try makeService(h, ttl: 100)
        let (token, claims) = service.issue(userID: ObjectID.generate(nowMillis: 1), role: .operator_)
        try service.revoke(claims)
        try service.revoke(claims)
        XCTAssertEqual(service.verify(token), .failure(.revoked))
        XCTAssertEqual(try h.db.queryOne("SELECT count(*) AS n FROM revoked_tokens")?.int("n"), 1)
        let restarted = try makeService(h, ttl: 100)
        XCTAssertEqual(restarted.revokedCount, 1)
        XCTAssertEqual(restarted.verify(token), .failure(.revoked))

        h.clock.advance(byMillis: 100_000)
        XCTAssertEqual(restarted.verify(token), .failure(.expired))
        try restarted.pruneExpired()
        XCTAssertEqual(restarted.revokedCount, 0)
        XCTAssertEqual(try h.db.queryOne("SELECT count(*) AS n FROM revoked_tokens")?.int("n"), 0)
        XCTAssertEqual(TokenService.pruneIntervalSeconds, 3600)
    }
}
