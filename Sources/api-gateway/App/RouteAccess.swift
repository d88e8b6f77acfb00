/// Who may call a route, checked by `GatewayContext.route` before the handler runs.
public enum RouteAccess: Equatable {
    /// Anyone; `request.user` stays nil.
    case `public`
    /// Any active user with a valid token.
    case authenticated
    /// Admins only (403 `Access denied. Admin role required.`).
    case admin
    /// Operators and admins (403 `Access denied. Salesperson or admin role required.` for any
    /// other role; with today's two roles it admits every authenticated user).
    case operatorOrAdmin
}
