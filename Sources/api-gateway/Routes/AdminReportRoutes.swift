import Shared

/// `GET /api/admin/reports/performance?startDate&endDate` (reference §1.2 #31, admins only) →
/// `{"performance": {salespersonStats, leadConversion, dailyCalls}}` from
/// `ReportPerformanceQuery`, computed on a worker thread. `successRate` is computed and a
/// date-only `endDate` covers its whole UTC day; malformed or reversed dates are a 400.
public struct AdminReportRoutes: RouteModule {
    let ctx: GatewayContext
    let reader: DashboardReader

    public func register(on router: Router) {
        ctx.route(router, "GET", "/api/admin/reports/performance", access: .admin) { req, res in performance(req, res) }
    }

    func performance(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let range: CallDateRange
        do {
            range = try CallDateRange.parse(request)
        } catch {
            return ctx.fail(responder, error)
        }
        reader.respond(ctx, responder) { db, snapshot in
            try ReportPerformanceQuery(db: db, snapshot: snapshot, range: range).json()
        }
    }
}
