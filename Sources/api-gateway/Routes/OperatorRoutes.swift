import Shared

/// `/api/operator` dashboard and performance (reference §1.2 #33, #40), operators and admins
/// (an admin sees their own figures, usually empty, and `operatorRank: null`):
/// - `GET /dashboard` → `DashboardOperatorQuery` for the caller;
/// - `GET /profile/performance?startDate&endDate` → `ReportOperatorQuery` for the caller
///   (`{performance, dailyPerformance, leadConversion}`, not wrapped).
/// Both run on a worker thread from the heavy-read connection.
public struct OperatorRoutes: RouteModule {
    let ctx: GatewayContext
    let reader: DashboardReader

    public func register(on router: Router) {
        ctx.route(router, "GET", "/api/operator/dashboard", access: .operatorOrAdmin) { req, res in dashboard(req, res) }
        ctx.route(router, "GET", "/api/operator/profile/performance", access: .operatorOrAdmin) { req, res in
            performance(req, res)
        }
    }

    func dashboard(_ request: HTTPRequest, _ responder: HTTPResponder) {
        guard let caller = request.user else { return ctx.fail(responder, AuthGuard.noTokenError) }
        let now = ctx.nowMillis
        reader.respond(ctx, responder) { db, snapshot in
            try DashboardOperatorQuery(db: db, snapshot: snapshot, caller: caller, nowMillis: now).json()
        }
    }

    func performance(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let caller: AuthUser
        let range: CallDateRange
        do {
            caller = try ctx.caller(request)
            range = try CallDateRange.parse(request)
        } catch {
            return ctx.fail(responder, error)
        }
        reader.respond(ctx, responder) { db, snapshot in
            try ReportOperatorQuery(db: db, snapshot: snapshot, operatorId: caller.id, range: range).json()
        }
    }
}
