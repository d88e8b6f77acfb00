import XCTest
@testable import api_gateway
@testable import Shared

/// `TokenVerificationCache` behind `TokenService.verify`: a repeated token skips the signature
/// check, but expiry, `nbf` and revocation are still applied on every hit; the cache is bounded.
final class TokenVerificationCacheTests: XCTestCase {
    private let secret = Array(String(repeating: "s", count: 32).utf8)

    func testRepeatedTokenHitsTheCacheAndRevocationStillApplies() throws {
        let h = try GatewayHarness()
        let service = try TokenService(secret: secret, ttlSeconds: 3600, clock: h.clock, db: h.db)
        let (token, claims) = service.issue(userID: ObjectID.generate(nowMillis: 1), role: .admin)
        XCTAssertEqual(service.verify(token), .success(claims))
        XCTAssertEqual(service.verificationCacheHits, 0)
        XCTAssertEqual(service.verify(token), .success(claims))
        XCTAssertEqual(service.verificationCacheHits, 1)
        try service.revoke(claims)
        XCTAssertEqual(service.verify(token), .failure(.revoked))
    }

    func testCachedTokenStillExpiresOnTime() throws {
        let h = try GatewayHarness()
        let service = try TokenService(secret: secret, ttlSeconds: 10, clock: h.clock, db: h.db)
        let (token, claims) = service.issue(userID: ObjectID.generate(nowMillis: 1), role: .operator_)
        XCTAssertEqual(service.verify(token), .success(claims))
        h.clock.advance(byMillis: 10_000)
        XCTAssertEqual(service.verify(token), .failure(.expired))
        XCTAssertEqual(service.verify(token), .failure(.expired))
    }

    func testTamperedTokenIsNotServedFromTheCache() throws {
        let h = try GatewayHarness()
        let service = try TokenService(secret: secret, ttlSeconds: 3600, clock: h.clock, db: h.db)
        let (token, _) = service.issue(userID: ObjectID.generate(nowMillis: 1), role: .admin)
        _ = service.verify(token)
        XCTAssertEqual(service.verify(token + "x"), .failure(.invalid))
        XCTAssertEqual(service.verify(String(token.dropLast())), .failure(.invalid))
    }

    func testNotBeforeIsCheckedOnHits() throws {
        let cache = TokenVerificationCache()
        let claims = TokenClaims(userID: ObjectID.generate(nowMillis: 1), role: "admin", jti: "j", issuedAt: 0, expiresAt: 200)
        cache.store("t", claims: claims, json: ["exp": .int(200), "nbf": .int(100)])
        XCTAssertNil(cache.lookup("t", nowSeconds: 99))
        XCTAssertEqual(cache.lookup("t", nowSeconds: 100), .success(claims))
        XCTAssertEqual(cache.lookup("t", nowSeconds: 200), .failure(.expired))
        XCTAssertNil(cache.lookup("t", nowSeconds: 100), "an expired entry is dropped")
    }

    func testCapacityBoundsTheEntries() {
        let cache = TokenVerificationCache(capacity: 2)
        let claims = TokenClaims(userID: ObjectID.generate(nowMillis: 1), role: "admin", jti: "j", issuedAt: 0, expiresAt: 200)
        for name in ["a", "b", "c"] { cache.store(name, claims: claims, json: ["exp": .int(200)]) }
        XCTAssertLessThanOrEqual(cache.count, 2)
        XCTAssertEqual(cache.lookup("c", nowSeconds: 1), .success(claims))
        let standard = TokenVerificationCache()
        for n in 0..<4_096 { standard.store("t\(n)", claims: claims, json: ["exp": .int(200)]) }
        XCTAssertEqual(standard.count, 4_096, "the default capacity is held")
        standard.store("one more", claims: claims, json: ["exp": .int(200)])
        XCTAssertEqual(standard.count, 1, "the 4,097th token starts the cache again")
    }
}
