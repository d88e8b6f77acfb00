import Shared

/// The authenticated caller, attached to `HTTPRequest.user` by the authentication middleware
/// (the user row is re-read on every request, so role and active state are current).
public struct AuthUser: Equatable, Sendable {
    public let id: String
    public let role: UserRole
    public let name: String
    public let email: String

    public var isAdmin: Bool { role == .admin }
}
