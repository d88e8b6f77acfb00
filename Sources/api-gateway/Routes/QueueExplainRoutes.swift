import Shared

/// `GET /api/admin/queue/explain` (issue 17, admins): why the queue is or is not dialing right
/// now, answered by the queue-daemon (`queue.explain`) from the decision its dispatch uses →
/// `{"explanation": {dialing, idle, reason, message, blockers, paused, dialerReady, lines,
/// operators, pacing, pending: {total, ready, byFirstReason}, nextOpening, nextDialableAt,
/// computedAt}}`. queue-daemon down → 503 `queue-daemon is not reachable`.
struct QueueExplainRoutes: RouteModule {
    static let path = "/api/admin/queue/explain"

    let ctx: GatewayContext

    func register(on router: Router) {
        ctx.route(router, "GET", Self.path, access: .admin) { _, responder in
            ctx.forward(ExplainBody(), responder: responder) { reply in
                .json(200, .object(JSONObject([("explanation", reply["explanation"] ?? .null)])))
            }
        }
    }
}
