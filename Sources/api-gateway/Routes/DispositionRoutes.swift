import Shared

/// Dispositions and call-backs (issue 12), operators and admins:
/// - `GET /api/dispositions` → `{"dispositions":[…],"conversions":["sale","interested"]}` (the
///   configured list, `IBRAT_DISPOSITIONS`);
/// - `GET /api/operator/callbacks` → `{"callbacks":[lead…]}`: the caller's booked call-backs that
///   are still pending (admins: everyone's), earliest first, read from SQL.
struct DispositionRoutes: RouteModule {
    /// Most call-backs listed (a booked call-back is at most 30 days ahead).
    static let maxListed = 500

    let ctx: GatewayContext

    func register(on router: Router) {
        ctx.route(router, "GET", "/api/dispositions", access: .operatorOrAdmin) { _, res in
            ctx.answer(res) {
                .json(200, .object(JSONObject([("dispositions", .array(ctx.config.dispositions.map(JSON.string))),
                                               ("conversions", .array(Dispositions.conversions.map(JSON.string)))])))
            }
        }
        ctx.route(router, "GET", "/api/operator/callbacks", access: .operatorOrAdmin) { req, res in
            ctx.answer(res) { try callbacks(req) }
        }
    }

    func callbacks(_ request: HTTPRequest) throws -> HTTPResponse {
        let caller = try ctx.caller(request)
        guard try ctx.db.queryOne("SELECT 1 FROM pragma_table_info('leads') WHERE name = 'callback_operator'") != nil else {
            return .json(200, ["callbacks": []])
        }
        var leads: [JSON] = []
        let mine = caller.isAdmin ? "callback_operator IS NOT NULL" : "callback_operator = ?"
        try ctx.db.forEachRow("""
            SELECT \(LeadJSON.columns) FROM leads WHERE \(mine) AND status = 'pending' AND is_active = 1
            ORDER BY callback_at, id LIMIT \(Self.maxListed)
            """, caller.isAdmin ? [] : [.text(caller.id)]) { leads.append(.object(LeadJSON.render(row: $0))) }
        return .json(200, .object(JSONObject([("callbacks", .array(leads))])))
    }
}
