import Shared

/// Tokens whose signature and claims already verified, keyed by the token text, so a client
/// that sends the same bearer token on every request costs one dictionary lookup instead of a
/// base64 decode, an HMAC-SHA256 and two JSON parses. An entry keeps the token's `exp` and
/// `nbf` so the time checks are redone on every hit (a cached token still expires on time);
/// revocation is checked by `TokenService` after the lookup, hit or miss. Only successful
/// verifications are stored. Bounded: past `capacity` entries the cache starts over.
/// Loop thread only.
final class TokenVerificationCache {
    /// Entries kept at most (distinct tokens in use at once on one gateway).
    static let defaultCapacity = 4096

    struct Entry {
        let claims: TokenClaims
        /// `exp` as the token states it (seconds since the epoch).
        let exp: Double
        /// `nbf` when the token has one.
        let notBefore: Double?
    }

    private var entries: [String: Entry] = [:]
    /// The entry found by the last lookup (a client's requests, and the rate limit and the route
    /// of one request, look the same token up one after the other).
    private var last: (token: String, entry: Entry)?
    let capacity: Int
    private(set) var hits = 0

    init(capacity: Int = TokenVerificationCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The cached outcome for `token` at `nowSeconds`: the claims, `.expired` when `exp` has
    /// passed (as `JWT.verify` would say), nil when not cached or not yet valid (`nbf`), in
    /// which case the caller verifies in full.
    func lookup(_ token: String, nowSeconds: Int64) -> Result<TokenClaims, TokenFailure>? {
        let entry: Entry
        if let last, last.token == token {
            entry = last.entry   // the same token as the last lookup: one comparison, no hashing
        } else {
            guard let found = entries[token] else { return nil }
            entry = found
            last = (token, found)
        }
        let now = Double(nowSeconds)
        guard entry.exp > now else {
            entries[token] = nil
            last = nil
            return .failure(.expired)
        }
        if let nbf = entry.notBefore, nbf > now { return nil }
        hits += 1
        return .success(entry.claims)
    }

    /// Remembers a token that verified; `json` are its verified claims.
    func store(_ token: String, claims: TokenClaims, json: JSONObject) {
        guard let exp = json["exp"]?.double else { return }
        var notBefore: Double?
        if let nbf = json["nbf"] {
            guard let value = nbf.double else { return }
            notBefore = value
        }
        if entries.count >= capacity && entries[token] == nil { entries.removeAll(keepingCapacity: true) }
        entries[token] = Entry(claims: claims, exp: exp, notBefore: notBefore)
    }

    func removeAll() {
        entries.removeAll()
        last = nil
    }
}
