import Shared

/// `GET /health` (public, not rate limited): `{"status":"OK","timestamp","uptime"}` with the
/// uptime in seconds, so load balancers and `systemctl` checks can probe the gateway.
public struct HealthRoutes: RouteModule {
    let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    public func register(on router: Router) {
        ctx.route(router, "GET", "/health", access: .public) { [ctx] _, res in
            res.send(Self.response(timestamp: Timestamp.iso8601(millis: ctx.nowMillis),
                                   uptime: (ctx.uptimeSeconds * 1000).rounded() / 1000))
        }
    }

    /// The answer, written straight to bytes (the hottest route: no JSON tree, no dictionary);
    /// the same bytes `.json(200, .object([status, timestamp, uptime]))` would give.
    static func response(timestamp: String, uptime: Double) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(80)
        JSONSerializer.appendLiteral("{\"status\":\"OK\",\"timestamp\":", into: &body)
        JSONSerializer.writeString(timestamp, into: &body)
        JSONSerializer.appendLiteral(",\"uptime\":", into: &body)
        JSONSerializer.writeDouble(uptime, into: &body)
        body.append(UInt8(ascii: "}"))
        return HTTPResponse(status: 200, headers: contentType, body: body)
    }

    static let contentType: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]
}
