import Shared

/// Who an authenticated socket belongs to (the same `AuthUser` a REST request is authenticated
/// as), and the token that authenticated it (so a timer and bus events can end the session once
/// the token expires or is revoked, or the user is deactivated: fix of bug 27). `user` follows
/// the current user row.
struct RealtimeIdentity: Equatable {
    var user: AuthUser
    /// The token's `jti` and expiry (seconds since the epoch).
    var tokenId: String
    var tokenExpiresAt: Int64

    var userId: String { user.id }
    var role: UserRole { user.role }
    var name: String { user.name }
    var isAdmin: Bool { user.isAdmin }

    /// `{userId, role, name}`: the `authenticated` payload and the presence payload.
    var json: JSON {
        .object(JSONObject([("userId", .string(userId)), ("role", .string(role.wireName)), ("name", .string(name))]))
    }
}

/// Why `authenticate` failed, with the earlier version's `auth_error` messages (reference §4.1).
enum RealtimeAuthFailure: Error, Equatable {
    /// No token, or not a string.
    case tokenRequired
    /// The token is valid but its user is missing or inactive.
    case userInvalid
    /// The token does not verify (signature, expiry, revocation, malformed).
    case tokenRejected

    var message: String {
        switch self {
        case .tokenRequired: return "Authentication token required"
        case .userInvalid: return "Invalid or expired token"
        case .tokenRejected: return "Authentication failed"
        }
    }
}

/// A failed client action (`update_availability`, `update_call_notes`), with the message sent
/// in `error {message}` or the ack.
struct RealtimeActionError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}
