import Shared

/// `GET /health` (public, not rate limited): `{"status":"OK","timestamp","uptime"}` with the
/// uptime in seconds, so load balancers and `systemctl` checks can probe the gateway.
public struct HealthRoutes: RouteModule {
    let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    public func register(on router: Router) {
        ctx.route(router, "GET", "/health", access: .public) { [ctx] _, res in
            res.send(.json(200, .object([
                "status": "OK",
                "timestamp": .string(Timestamp.iso8601(millis: ctx.nowMillis)),
                "uptime": .double((ctx.uptimeSeconds * 1000).rounded() / 1000),
            ])))
        }
    }
}
