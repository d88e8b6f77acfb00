import Shared

/// Which limit a request counts against (issue 10): a request carrying a valid bearer token counts
/// against its user's window (`IBRAT_USER_RATE_LIMIT`, default 1,000 per 15 minutes), so thirty
/// operators behind one NAT address or one reverse proxy are thirty clients; every other request —
/// login, register, anything anonymous, or a token that does not verify — counts against its
/// client address (`IBRAT_RATE_LIMIT`, default 100 per 15 minutes, the API document's limit).
/// The address is the peer's unless a trusted proxy forwarded it (`ClientAddress`).
public final class RateLimitPolicy {
    /// The key prefixes, so a user id and an address can never share a window.
    static let userKeyPrefix = "u:"
    static let addressKeyPrefix = "a:"

    public let anonymous: RateLimiter?
    public let perUser: RateLimiter?
    /// Requests refused with 429 since start (metrics).
    public private(set) var refusals = 0
    private let userOfToken: (String) -> String?

    /// `userOfToken` answers the user id of a token that verifies (signature, expiry, revocation).
    public init(config: Config, clock: WallClock, userOfToken: @escaping (String) -> String?) {
        anonymous = config.rateLimit.map { RateLimiter(limit: $0.limit, windowSeconds: $0.windowSeconds, clock: clock) }
        perUser = config.userRateLimit.map { RateLimiter(limit: $0.limit, windowSeconds: $0.windowSeconds, clock: clock) }
        self.userOfToken = userOfToken
    }

    /// Counts `request` against its window; nil when no limit applies to it.
    public func check(_ request: HTTPRequest) -> RateLimiter.Decision? {
        if let token = try? AuthGuard.bearerToken(request), let userID = userOfToken(token) {
            guard let perUser else { return nil }
            return count(perUser.check(Self.userKeyPrefix + userID))
        }
        guard let anonymous else { return nil }
        return count(anonymous.check(Self.addressKeyPrefix + request.clientAddress))
    }

    private func count(_ decision: RateLimiter.Decision) -> RateLimiter.Decision {
        if !decision.allowed { refusals += 1 }
        return decision
    }
}
