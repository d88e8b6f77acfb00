import Shared

/// The authentication and role checks of every protected route, with the earlier version's
/// error strings (reference §0.1) plus a `message`, and its gaps fixed: the scheme must be
/// `Bearer` (case-insensitive), revoked tokens are refused, and role and active state come from
/// the current user row (through `UserStore`'s cache), not from the token.
public struct AuthGuard {
    public static let noToken = "Access denied. No token provided."
    public static let invalidToken = "Invalid token."
    public static let expiredToken = "Token expired."
    public static let revokedToken = "Token has been revoked."
    public static let userNotFound = "Invalid token. User not found."
    public static let deactivated = "Account is deactivated."
    public static let adminRequired = "Access denied. Admin role required."
    public static let operatorRequired = "Access denied. Salesperson or admin role required."

    public let tokens: TokenService
    public let users: UserStore

    public init(tokens: TokenService, users: UserStore) {
        self.tokens = tokens
        self.users = users
    }

    /// The bearer token of the `Authorization` header, or a 401.
    public static func bearerToken(_ request: HTTPRequest) throws -> String {
        if let token = request.bearerToken { return token }   // parsed already (the rate limit)
        guard let header = request.header("Authorization") else { throw noTokenError }
        let trimmed = Substring(header).trimmingASCIISpaces()
        guard !trimmed.isEmpty else { throw noTokenError }
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard HTTPHeaders.namesEqual(parts[0], "Bearer") else {
            throw HTTPError.unauthorized(invalidToken, message: "The Authorization scheme must be Bearer")
        }
        guard parts.count == 2 else { throw noTokenError }
        let token = parts[1].trimmingASCIISpaces()
        guard !token.isEmpty else { throw noTokenError }
        request.bearerToken = String(token)
        return request.bearerToken!
    }

    static let noTokenError = HTTPError.unauthorized(noToken, message: "Send the header Authorization: Bearer <token>")

    /// The caller and their token's claims, or a 401 with the reference's error string.
    public func authenticate(_ request: HTTPRequest) throws -> (user: UserRecord, claims: TokenClaims) {
        try authenticate(token: try Self.bearerToken(request))
    }

    /// The same checks for a token that came another way (the Socket.IO `authenticate` event
    /// or CONNECT `auth.token`); a thrown `HTTPError`'s `errorText` names the reason.
    public func authenticate(token: String) throws -> (user: UserRecord, claims: TokenClaims) {
        let claims: TokenClaims
        switch tokens.verify(token) {
        case .success(let c): claims = c
        case .failure(.expired):
            throw HTTPError.unauthorized(Self.expiredToken, message: "The token has expired; log in again")
        case .failure(.revoked):
            throw HTTPError.unauthorized(Self.revokedToken, message: "The token was revoked; log in again")
        case .failure(.invalid):
            throw HTTPError.unauthorized(Self.invalidToken, message: "The token is malformed or its signature is invalid")
        }
        guard let user = try users.user(id: claims.userID) else {
            throw HTTPError.unauthorized(Self.userNotFound, message: "The user of this token no longer exists")
        }
        guard user.isActive else {
            throw HTTPError.unauthorized(Self.deactivated, message: "This account has been deactivated")
        }
        return (user, claims)
    }

    /// 403 when `user` may not use a route of `access`.
    public static func authorize(_ user: AuthUser, for access: RouteAccess) throws {
        switch access {
        case .public, .authenticated:
            return
        case .admin:
            guard user.role == .admin else {
                throw HTTPError.forbidden(adminRequired, message: "This route requires the admin role")
            }
        case .operatorOrAdmin:
            guard user.role == .admin || user.role == .operator_ else {
                throw HTTPError.forbidden(operatorRequired, message: "This route requires the operator or admin role")
            }
        }
    }
}
