import Shared

/// Issues and checks the gateway's HS256 JWTs and keeps the revocation list (fix of bug 27:
/// logout revokes at once, refresh after a grace period). Revoked `jti`s live in memory, loaded from `revoked_tokens` at
/// start (the gateway is that table's only writer), each kept until its token would have
/// expired anyway; `pruneExpired` (hourly, via `startPruning`) drops the rest from both.
public final class TokenService {
    /// Random bytes in a `jti`.
    public static let jtiBytes = 16
    /// Seconds between sweeps of expired revocations.
    public static let pruneIntervalSeconds = 3600.0

    public let ttlSeconds: Int
    private let secret: [UInt8]
    private let clock: WallClock
    private let db: Database
    /// A revocation: from `effectiveAt` (0 = at once) until the token's own expiry (seconds).
    struct Revocation {
        var effectiveAt: Int64
        var expiresAt: Int64
    }
    /// jti → its revocation.
    private var revoked: [String: Revocation] = [:]
    private var pruneTimer: TimerSource?
    /// Tokens already verified (signature and claims); time and revocation are re-checked.
    private let verified = TokenVerificationCache()

    /// Loads the revocation list from `db`.
    public init(secret: [UInt8], ttlSeconds: Int, clock: WallClock, db: Database) throws {
        self.secret = secret
        self.ttlSeconds = ttlSeconds
        self.clock = clock
        self.db = db
        let now = nowSeconds
        try db.forEachRow("SELECT jti, expires_at, effective_at FROM revoked_tokens") { row in
            let expiresAt = row.int("expires_at")
            if expiresAt > now {
                revoked[row.string("jti")] = Revocation(effectiveAt: row.int("effective_at"), expiresAt: expiresAt)
            }
        }
    }

    deinit { pruneTimer?.cancel() }

    private var nowSeconds: Int64 { clock.nowMillis() / 1000 }

    /// Revocations held in memory.
    public var revokedCount: Int { revoked.count }

    /// A fresh token for `user`, valid for `ttlSeconds`.
    public func issue(userID: String, role: UserRole) -> (token: String, claims: TokenClaims) {
        let now = nowSeconds
        let claims = TokenClaims(userID: userID, role: role.wireName, jti: SecureRandom.hex(Self.jtiBytes),
                                 issuedAt: now, expiresAt: now + Int64(ttlSeconds))
        return (JWT.sign(claims: claims.json, secret: secret), claims)
    }

    /// Verifications answered from the cache (tests, diagnostics).
    public var verificationCacheHits: Int { verified.hits }

    /// Checks signature (alg pinned to HS256), expiry, then revocation. A token seen before
    /// skips the signature check (`TokenVerificationCache`); expiry and revocation never do.
    public func verify(_ token: String) -> Result<TokenClaims, TokenFailure> {
        let now = nowSeconds
        if let cached = verified.lookup(token, nowSeconds: now) {
            guard case .success(let claims) = cached else { return cached }
            if isRevoked(claims.jti) { return .failure(.revoked) }
            return .success(claims)
        }
        let json: JSONObject
        do {
            json = try JWT.verify(token, secret: secret, nowSeconds: now)
        } catch JWTError.expired {
            return .failure(.expired)
        } catch {
            return .failure(.invalid)
        }
        guard let claims = TokenClaims(json: json) else { return .failure(.invalid) }
        verified.store(token, claims: claims, json: json)
        if isRevoked(claims.jti) { return .failure(.revoked) }
        return .success(claims)
    }

    public func isRevoked(_ jti: String) -> Bool {
        guard let revocation = revoked[jti] else { return false }
        let now = nowSeconds
        return revocation.expiresAt > now && now >= revocation.effectiveAt
    }

    /// Revokes a token until it expires: at once (logout), or after `graceSeconds` (the token a
    /// refresh replaced). An earlier revocation time wins, so a logout during a refresh's grace
    /// period still takes effect at once. Idempotent.
    public func revoke(_ claims: TokenClaims, graceSeconds: Int = 0) throws {
        let now = nowSeconds
        guard claims.expiresAt > now else { return }
        let effectiveAt = graceSeconds > 0 ? now + Int64(graceSeconds) : 0
        if let existing = revoked[claims.jti], existing.effectiveAt <= effectiveAt { return }
        _ = try db.run("""
            INSERT INTO revoked_tokens(jti, expires_at, effective_at) VALUES (?, ?, ?)
            ON CONFLICT(jti) DO UPDATE SET effective_at = min(effective_at, excluded.effective_at)
            """, [.text(claims.jti), .int(claims.expiresAt), .int(effectiveAt)])
        revoked[claims.jti] = Revocation(effectiveAt: effectiveAt, expiresAt: claims.expiresAt)
    }

    /// Drops revocations whose tokens have expired, in memory and in the table.
    public func pruneExpired() throws {
        let now = nowSeconds
        revoked = revoked.filter { $0.value.expiresAt > now }
        _ = try db.run("DELETE FROM revoked_tokens WHERE expires_at <= ?", [.int(now)])
    }

    /// Prunes every `pruneIntervalSeconds` on `loop`; failures go to `onError`.
    public func startPruning(on loop: EventLoop, onError: @escaping (Error) -> Void) {
        pruneTimer?.cancel()
        pruneTimer = loop.repeating(every: Self.pruneIntervalSeconds) { [weak self] in
            do { try self?.pruneExpired() } catch { onError(error) }
        }
    }
}
