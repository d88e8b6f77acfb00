import Shared

/// Who may read `GET /metrics`: a peer on loopback or in `IBRAT_METRICS_ALLOW`, or any caller
/// with a valid admin token. Anyone else gets 403 (401 when the token itself is bad).
struct MetricsAccess {
    let allowed: [CIDRBlock]

    enum Decision: Equatable {
        case byAddress
        case needsAdminToken
    }

    /// 127.0.0.0/8 and ::1 (IPv4-mapped loopback matches the IPv4 block).
    static let loopback = [CIDRBlock("127.0.0.0/8"), CIDRBlock("::1")].compactMap { $0 }

    init(allow: [CIDRBlock]) {
        allowed = Self.loopback + allow
    }

    func decide(remoteAddress: String) -> Decision {
        allowed.contains { $0.contains(remoteAddress) } ? .byAddress : .needsAdminToken
    }

    static let forbidden = HTTPError.forbidden("Forbidden",
        message: "Metrics are served to loopback, to IBRAT_METRICS_ALLOW networks, or with an admin token")

    /// Checks the admin token of a request from elsewhere; throws the 401/403 to send.
    static func requireAdmin(_ request: HTTPRequest, auth: AuthGuard) throws {
        guard request.header("Authorization") != nil else { throw forbidden }
        let (user, _) = try auth.authenticate(request)
        guard user.authUser.role == .admin else { throw forbidden }
    }
}
