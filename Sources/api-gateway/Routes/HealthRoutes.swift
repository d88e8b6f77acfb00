import Shared

/// `GET /health` (public, not rate limited): `{"status":"OK","timestamp","uptime"}` with the
/// uptime in seconds, so load balancers and `systemctl` checks can probe the gateway.
public struct HealthRoutes: RouteModule {
    let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    public func register(on router: Router) {
        let last = LastAnswer()
        ctx.route(router, "GET", "/health", access: .public) { [ctx] _, res in
            res.send(last.response(nowMillis: ctx.nowMillis, uptimeMillis: (ctx.uptimeSeconds * 1000).rounded()))
        }
    }

    /// The last answer and the millisecond it was for: both fields have millisecond resolution,
    /// so requests within one millisecond (dozens under load) share its bytes.
    final class LastAnswer {
        private var nowMillis: Int64 = .min
        private var uptimeMillis = -1.0
        private var answer = HTTPResponse(status: 200)

        func response(nowMillis: Int64, uptimeMillis: Double) -> HTTPResponse {
            if nowMillis != self.nowMillis || uptimeMillis != self.uptimeMillis {
                self.nowMillis = nowMillis
                self.uptimeMillis = uptimeMillis
                answer = HealthRoutes.response(timestamp: Timestamp.iso8601(millis: nowMillis), uptime: uptimeMillis / 1000)
            }
            return answer
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
