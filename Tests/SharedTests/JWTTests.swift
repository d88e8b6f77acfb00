import XCTest
@testable import Shared

final class JWTTests: XCTestCase {
    private let secret = Array("test-secret-please-change".utf8)
    private let now: Int64 = 1_700_000_000

    /// RFC 7515 Appendix A.1: the JWS signing input, key and HS256 signature given there.
    private let rfcSigningInput = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    private let rfcKey = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
    private let rfcSignature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

    private func claims(exp: Int64? = nil, nbf: Int64? = nil) -> JSONObject {
        var c: JSONObject = ["userId": .string("65a1b2c3d4e5f6a7b8c9d0e1"), "role": .string("admin"),
                             "jti": .string("abc"), "iat": .int(now)]
        c["exp"] = .int(exp ?? now + 86_400)
        if let nbf { c["nbf"] = .int(nbf) }
        return c
    }

    /// A token with an arbitrary header and payload, correctly signed with `secret`.
    private func forge(header: String, payload: String, key: [UInt8]? = nil) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(HMAC.sha256(key: key ?? secret, message: Array(input.utf8)))
    }

    private func assertRejects(_ token: String, _ expected: JWTError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try JWT.verify(token, secret: secret, nowSeconds: now), file: file, line: line) {
            XCTAssertEqual($0 as? JWTError, expected, file: file, line: line)
        }
    }

    func testRFC7515A1SignatureVector() throws {
        let key = try XCTUnwrap(Base64URL.decode(rfcKey))
        XCTAssertEqual(Base64URL.encode(HMAC.sha256(key: key, message: Array(rfcSigningInput.utf8))), rfcSignature)
    }

    func testRFC7515A1TokenVerifiesUntilItsExpiry() throws {
        let key = try XCTUnwrap(Base64URL.decode(rfcKey))
        let token = rfcSigningInput + "." + rfcSignature
        let claims = try JWT.verify(token, secret: key, nowSeconds: 1_300_819_379)
        XCTAssertEqual(claims["iss"], .string("joe"))
        XCTAssertEqual(claims["http://example.com/is_root"], .bool(true))
        XCTAssertThrowsError(try JWT.verify(token, secret: key, nowSeconds: 1_300_819_380)) {
            XCTAssertEqual($0 as? JWTError, .expired)
        }
    }

    func testRoundTripAndFixedHeader() throws {
        let token = JWT.sign(claims: claims(), secret: secret)
        XCTAssertTrue(token.hasPrefix("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."))
        XCTAssertFalse(token.contains("="))
        let back = try JWT.verify(token, secret: secret, nowSeconds: now)
        XCTAssertEqual(back, claims())
        XCTAssertEqual(back.keys, ["userId", "role", "jti", "iat", "exp"])
        XCTAssertEqual(JWT.unverifiedClaims(token), claims())
    }

    func testWrongSecretAndTamperedPayload() {
        let token = JWT.sign(claims: claims(), secret: secret)
        XCTAssertThrowsError(try JWT.verify(token, secret: Array("other".utf8), nowSeconds: now)) {
            XCTAssertEqual($0 as? JWTError, .badSignature)
        }
        let parts = token.split(separator: ".").map(String.init)
        var tamperedClaims = claims()
        tamperedClaims["role"] = .string("superadmin")
        let tamperedPayload = Base64URL.encode(JSON.object(tamperedClaims).serialized())
        assertRejects(parts[0] + "." + tamperedPayload + "." + parts[2], .badSignature)
        let flipped = parts[2].hasSuffix("A") ? "E" : "A"  // both leave the unused low bits zero
        assertRejects(parts[0] + "." + parts[1] + "." + String(parts[2].dropLast()) + flipped, .badSignature)
        assertRejects(parts[0] + "." + parts[1] + ".", .badSignature)
    }

    func testAlgNoneIsRejected() {
        let payload = Base64URL.encode(JSON.object(claims()).serialized())
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        assertRejects(header + "." + payload + ".", .algorithmNotAllowed)
        assertRejects(forge(header: #"{"alg":"none"}"#, payload: JSON.object(claims()).text), .algorithmNotAllowed)
    }

    func testOtherAlgorithmsAreRejectedEvenWhenCorrectlySigned() {
        let payload = JSON.object(claims()).text
        for alg in [#""HS512""#, #""hs256""#, #""HS256 ""#, #""RS256""#, "null", "256", #"["HS256"]"#] {
            assertRejects(forge(header: #"{"alg":\#(alg),"typ":"JWT"}"#, payload: payload), .algorithmNotAllowed)
        }
        assertRejects(forge(header: #"{"typ":"JWT"}"#, payload: payload), .malformed)
        assertRejects(forge(header: #"{"alg":"HS256","crit":["exp"]}"#, payload: payload), .malformed)
    }

    func testExpiry() {
        assertRejects(JWT.sign(claims: claims(exp: now), secret: secret), .expired)
        assertRejects(JWT.sign(claims: claims(exp: now - 1), secret: secret), .expired)
        XCTAssertNoThrow(try JWT.verify(JWT.sign(claims: claims(exp: now + 1), secret: secret),
                                        secret: secret, nowSeconds: now))
        var noExp = claims()
        noExp["exp"] = nil
        assertRejects(JWT.sign(claims: noExp, secret: secret), .malformed)
        var stringExp = claims()
        stringExp["exp"] = .string("\(now + 100)")
        assertRejects(JWT.sign(claims: stringExp, secret: secret), .malformed)
        var fractional = claims()
        fractional["exp"] = .double(Double(now) + 0.5)
        XCTAssertNoThrow(try JWT.verify(JWT.sign(claims: fractional, secret: secret), secret: secret, nowSeconds: now))
    }

    func testNotBefore() {
        assertRejects(JWT.sign(claims: claims(nbf: now + 1), secret: secret), .notYetValid)
        XCTAssertNoThrow(try JWT.verify(JWT.sign(claims: claims(nbf: now), secret: secret), secret: secret, nowSeconds: now))
        var badNbf = claims()
        badNbf["nbf"] = .bool(true)
        assertRejects(JWT.sign(claims: badNbf, secret: secret), .malformed)
    }

    func testMalformedShapes() {
        let token = JWT.sign(claims: claims(), secret: secret)
        let parts = token.split(separator: ".").map(String.init)
        for bad in ["", ".", "..", "abc", parts[0] + "." + parts[1], token + ".x", "." + parts[1] + "." + parts[2],
                    parts[0] + ".." + parts[2], parts[0] + "=." + parts[1] + "." + parts[2],
                    parts[0] + "." + parts[1] + "!." + parts[2]] {
            XCTAssertThrowsError(try JWT.verify(bad, secret: secret, nowSeconds: now), bad) { error in
                XCTAssertTrue([.malformed, .badSignature].contains(error as? JWTError), "\(bad): \(error)")
            }
        }
        // A payload that is JSON but not an object, correctly signed.
        assertRejects(forge(header: #"{"alg":"HS256"}"#, payload: "[1,2]"), .malformed)
        assertRejects(forge(header: #"{"alg":"HS256"}"#, payload: "{not json"), .malformed)
        assertRejects(forge(header: "[]", payload: "{}"), .malformed)
    }

    func testMaxTokenBytes() {
        var big = claims()
        big["pad"] = .string(String(repeating: "x", count: 8192))  // the token grows past 8 KiB
        assertRejects(JWT.sign(claims: big, secret: secret), .malformed)
        var fits = claims()
        fits["pad"] = .string(String(repeating: "x", count: 5000))
        XCTAssertNoThrow(try JWT.verify(JWT.sign(claims: fits, secret: secret), secret: secret, nowSeconds: now))
    }
}
