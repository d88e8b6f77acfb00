import XCTest
@testable import api_gateway
@testable import Shared

/// Authentication guard strings (reference §0.1) and `/api/auth` #1–#5 with the fixes of bugs
/// 21 and 27.
final class AuthRoutesTests: XCTestCase {
    func testGuardErrorStrings() throws {
        let h = try GatewayHarness()
        let user = try h.createUser(email: "op@example.com")
        let noToken = h.send("GET", "/api/auth/me")
        XCTAssertEqual(noToken.status, 401)
        XCTAssertEqual(noToken.errorText, "Access denied. No token provided.")
        XCTAssertEqual(noToken.messageText, "Send the header Authorization: Bearer <token>")
        XCTAssertEqual(h.send("GET", "/api/auth/me", headers: [("Authorization", "Bearer ")]).errorText,
                       "Access denied. No token provided.")
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: "abc.def.ghi").errorText, "Invalid token.")
        XCTAssertEqual(h.send("GET", "/api/auth/me", headers: [("Authorization", "Token " + h.token(for: user))]).errorText,
                       "Invalid token.")
        XCTAssertEqual(h.send("GET", "/api/auth/me", headers: [("Authorization", "bEaReR " + h.token(for: user))]).status, 200)

        let foreign = JWT.sign(claims: ["userId": .string(user.id), "jti": "x", "exp": .int(9_999_999_999)],
                               secret: Array("another-secret-another-secret-12345".utf8))
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: foreign).errorText, "Invalid token.")

        let ghost = h.ctx.tokens.issue(userID: ObjectID.generate(nowMillis: 1), role: .operator_).token
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: ghost).errorText, "Invalid token. User not found.")

        let token = h.token(for: user)
        try h.ctx.users.update(id: user.id, UserStore.Changes(isActive: false), now: 1)
        let inactive = h.send("GET", "/api/auth/me", token: token)
        XCTAssertEqual(inactive.status, 401)
        XCTAssertEqual(inactive.errorText, "Account is deactivated.")
    }

    func testExpiredTokenWithInjectedClock() throws {
        let h = try GatewayHarness(env: ["IBRAT_JWT_TTL": "60"])
        let user = try h.createUser(email: "op@example.com")
        let token = h.token(for: user)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).status, 200)
        h.clock.advance(byMillis: 60_000)
        let expired = h.send("GET", "/api/auth/me", token: token)
        XCTAssertEqual(expired.status, 401)
        XCTAssertEqual(expired.errorText, "Token expired.")
    }

    func testRoleGuards() throws {
        let h = try GatewayHarness()
        let op = try h.createUser(email: "op@example.com")
        let forbidden = h.send("GET", "/api/users", token: h.token(for: op))
        XCTAssertEqual(forbidden.status, 403)
        XCTAssertEqual(forbidden.errorText, "Access denied. Admin role required.")
        XCTAssertThrowsError(try AuthGuard.authorize(op.authUser, for: .admin))
        XCTAssertNoThrow(try AuthGuard.authorize(op.authUser, for: .operatorOrAdmin))
        XCTAssertEqual(AuthGuard.operatorRequired, "Access denied. Salesperson or admin role required.")
    }

    func testRegisterRequiresAdmin() throws {
        let h = try GatewayHarness()
        let body: JSON = ["name": "New Op", "email": "new@example.com", "phone": "90 123 45 67", "password": "longenough"]
        XCTAssertEqual(h.send("POST", "/api/auth/register", json: body).status, 401)
        let op = try h.createUser(email: "op@example.com")
        XCTAssertEqual(h.send("POST", "/api/auth/register", json: body, token: h.token(for: op)).status, 403)
        let (_, adminToken) = try h.admin()
        let created = h.send("POST", "/api/auth/register", json: body, token: adminToken)
        XCTAssertEqual(created.status, 201)
        XCTAssertEqual(created.json["message"], "User registered successfully")
        let user = created.json["user"]?.object
        XCTAssertEqual(user?["email"], "new@example.com")
        XCTAssertEqual(user?["phone"], "+998901234567")
        XCTAssertEqual(user?["role"], "salesperson")
        XCTAssertEqual(user?["id"], user?["_id"])
        XCTAssertNil(user?["password"])
        XCTAssertNil(user?["passwordHash"])
        XCTAssertNotNil(created.json["token"]?.string)

        let duplicate = h.send("POST", "/api/auth/register",
                               json: ["name": "Other", "email": "NEW@example.com ", "phone": "+1 415 555 0100",
                                      "password": "longenough", "role": "salesperson"], token: adminToken)
        XCTAssertEqual(duplicate.status, 409)
        XCTAssertEqual(duplicate.errorText, "User with this email or phone number already exists")
        let samePhone = h.send("POST", "/api/auth/register", json: ["name": "Other", "email": "x@example.com",
                                                                    "phone": "+998901234567", "password": "longenough"],
                               token: adminToken)
        XCTAssertEqual(samePhone.status, 409)
    }

    func testRegisterValidationNamesTheField() throws {
        let h = try GatewayHarness()
        let (_, token) = try h.admin()
        func check(_ body: JSON, _ message: String) {
            let r = h.send("POST", "/api/auth/register", json: body, token: token)
            XCTAssertEqual(r.status, 400, message)
            XCTAssertEqual(r.errorText, "Validation failed")
            XCTAssertEqual(r.messageText, message)
            XCTAssertEqual(r.json["details"]?.string, message)
        }
        let ok: [String: JSON] = ["name": "Name", "email": "a@example.com", "phone": "+998901234567", "password": "12345678"]
        func with(_ key: String, _ value: JSON?) -> JSON {
            var o = JSONObject(ok.map { ($0.key, $0.value) })
            o[key] = value
            return .object(o)
        }
        check(with("email", "not-an-email"), "\"email\" must be a valid email address")
        check(with("email", nil), "\"email\" is required")
        check(with("name", "A"), "\"name\" must be 2 to 100 characters long")
        check(with("phone", "12ab"), "\"phone\" must be a valid phone number")
        check(with("password", "short"), "\"password\" must be 8 to 256 characters long")
        check(with("role", "boss"), "\"role\" must be one of [admin, operator, salesperson]")
        check(with("name", 5), "\"name\" must be a string")
        // `FieldRules.userName` / `.userPassword` at their bounds, in UTF-16 code units.
        check(with("name", .string(String(repeating: "😀", count: 50) + "x")), FieldRules.userName.message)
        check(with("password", .string(String(repeating: "p", count: 257))), "\"password\" must be 8 to 256 characters long")
        for (n, (name, password)) in [("😀", "1234567😀"), (String(repeating: "😀", count: 50), String(repeating: "p", count: 256))]
            .enumerated() {
            let body = JSON.object(["name": .string(name), "email": .string("bound\(n)@example.com"),
                                    "phone": .string("+99890123450\(n)"), "password": .string(password)])
            XCTAssertEqual(h.send("POST", "/api/auth/register", json: body, token: token).status, 201, name)
        }
    }

    func testLoginPathsAndLastLogin() throws {
        let h = try GatewayHarness()
        let user = try h.createUser(email: "op@example.com")
        let unknown = h.send("POST", "/api/auth/login", json: ["email": "nobody@example.com", "password": "password123"])
        XCTAssertEqual(unknown.status, 401)
        XCTAssertEqual(unknown.errorText, "Invalid credentials")
        let wrong = h.send("POST", "/api/auth/login", json: ["email": "op@example.com", "password": "wrong-password"])
        XCTAssertEqual(wrong.errorText, "Invalid credentials")

        let ok = h.send("POST", "/api/auth/login", json: ["email": " OP@example.com", "password": .string(GatewayHarness.password)])
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.json["message"], "Login successful")
        XCTAssertEqual(ok.json["user"]?["id"]?.string, user.id)
        XCTAssertEqual(ok.json["user"]?["isAvailable"], true)
        XCTAssertEqual(ok.json["user"]?["lastLogin"]?.string, Timestamp.iso8601(millis: h.clock.nowMillis()))
        let token = try XCTUnwrap(ok.json["token"]?.string)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).status, 200)

        // The active check comes after the password check: a wrong password never reveals it.
        try h.ctx.users.update(id: user.id, UserStore.Changes(isActive: false), now: 1)
        XCTAssertEqual(h.send("POST", "/api/auth/login", json: ["email": "op@example.com", "password": "nope-nope"]).errorText,
                       "Invalid credentials")
        XCTAssertEqual(h.send("POST", "/api/auth/login", json: ["email": "op@example.com",
                                                                "password": .string(GatewayHarness.password)]).errorText,
                       "Account is deactivated")
    }

    func testUnknownEmailStillRunsAHashVerification() {
        // The dummy hash is a real yescrypt hash, so unknown accounts cost one verification.
        XCTAssertTrue(PasswordCheck.dummyHash.hasPrefix("$y$"))
        XCTAssertFalse(PasswordCheck.verify("anything", hash: nil))
        XCTAssertTrue(PasswordCheck.verify(GatewayHarness.password, hash: GatewayHarness.passwordHash))
    }

    func testMeHasCallStatsFromCallsTableAndZerosWithoutIt() throws {
        let h = try GatewayHarness()
        let user = try h.createUser(email: "op@example.com")
        let me = h.send("GET", "/api/auth/me", token: h.token(for: user))
        XCTAssertEqual(me.json["user"]?["callStats"], ["totalCalls": 0, "successfulCalls": 0, "totalDuration": 0])
        let dialerDB = try Database(path: h.config.dbPath, owner: .dialer)
        try Schema.migrate(dialerDB, owner: .dialer, now: 1)
        for (i, (status, duration)) in [("completed", 120), ("completed", 30), ("busy", 0)].enumerated() {
            _ = try dialerDB.run("""
                INSERT INTO calls(id, lead_id, operator_id, mode, status, from_number, to_number, duration, start_time,
                                  created_at, updated_at) VALUES (?, 'l', ?, 'manual', ?, '+1', '+2', ?, 1, 1, 1)
                """, [.text("c\(i)"), .text(user.id), .text(status), .int(Int64(duration))])
        }
        let after = h.send("GET", "/api/auth/me", token: h.token(for: user))
        XCTAssertEqual(after.json["user"]?["callStats"], ["totalCalls": 3, "successfulCalls": 2, "totalDuration": 150])
        dialerDB.close()
    }

    func testLogoutRevokesAndRefreshReplaces() throws {
        let h = try GatewayHarness()
        let user = try h.createUser(email: "op@example.com")
        let token = h.token(for: user)
        let refreshed = h.send("POST", "/api/auth/refresh", token: token)
        XCTAssertEqual(refreshed.status, 200)
        XCTAssertEqual(refreshed.json["message"], "Token refreshed successfully")
        let newToken = try XCTUnwrap(refreshed.json["token"]?.string)
        // The replaced token stays valid for the grace period (default 60 s), then is revoked.
        XCTAssertEqual(h.config.refreshGraceSeconds, 60)
        h.clock.advance(byMillis: 59_000)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).status, 200)
        h.clock.advance(byMillis: 1_000)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).errorText, "Token has been revoked.")
        let logout = h.send("POST", "/api/auth/logout", token: newToken)
        XCTAssertEqual(logout.status, 200)
        XCTAssertEqual(logout.json["message"], "Logout successful")
        let after = h.send("GET", "/api/auth/me", token: newToken)
        XCTAssertEqual(after.status, 401)
        XCTAssertEqual(after.errorText, "Token has been revoked.")
        // The revocation survives a restart: a new token service loads it from the table.
        let reloaded = try TokenService(secret: Array(String(repeating: "k", count: 40).utf8), ttlSeconds: 3600,
                                        clock: h.clock, db: h.db)
        XCTAssertEqual(reloaded.verify(newToken), .failure(.revoked))
    }

    func testLogoutDuringRefreshGraceRevokesAtOnce() throws {
        let h = try GatewayHarness(env: ["IBRAT_REFRESH_GRACE": "300"])
        let user = try h.createUser(email: "op@example.com")
        let token = h.token(for: user)
        XCTAssertEqual(h.send("POST", "/api/auth/refresh", token: token).status, 200)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).status, 200)
        XCTAssertEqual(h.send("POST", "/api/auth/logout", token: token).status, 200)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).errorText, "Token has been revoked.")
        let reloaded = try TokenService(secret: Array(String(repeating: "k", count: 40).utf8), ttlSeconds: 3600,
                                        clock: h.clock, db: h.db)
        XCTAssertEqual(reloaded.verify(token), .failure(.revoked))
    }

    func testRefreshGraceZeroRevokesAtOnce() throws {
        let h = try GatewayHarness(env: ["IBRAT_REFRESH_GRACE": "0"])
        let user = try h.createUser(email: "op@example.com")
        let token = h.token(for: user)
        XCTAssertEqual(h.send("POST", "/api/auth/refresh", token: token).status, 200)
        XCTAssertEqual(h.send("GET", "/api/auth/me", token: token).errorText, "Token has been revoked.")
    }

    func testTokenAuthenticationOutsideHTTP() throws {
        let h = try GatewayHarness()
        let user = try h.createUser(email: "op@example.com")
        XCTAssertEqual(try h.ctx.auth.authenticate(token: h.token(for: user)).user.id, user.id)
        XCTAssertThrowsError(try h.ctx.auth.authenticate(token: "nope")) {
            XCTAssertEqual(($0 as? HTTPError)?.errorText, "Invalid token.")
        }
    }
}
