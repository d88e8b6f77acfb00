import Shared

/// `GET /api/leads/:id/history` (issue 13's lead detail: "its call history and events"),
/// operators and admins → `{"history": {leadId, status, callAttempts, calls, callsTotal, events,
/// eventsTotal}}` from `LeadHistoryQuery` (indexed reads on the loop, like the lead detail). `includeDeleted=true` as on
/// `GET /api/leads/:id` (admins only, 403 for operators). 400 `Invalid id`; 404 `Lead not found`
/// for a lead that does not exist or that the caller may not see.
struct LeadHistoryRoutes: RouteModule {
    let ctx: GatewayContext

    func register(on router: Router) {
        ctx.route(router, "GET", "/api/leads/:id/history", access: .operatorOrAdmin) { request, responder in
            history(request, responder)
        }
    }

    func history(_ request: HTTPRequest, _ responder: HTTPResponder) {
        ctx.answer(responder) {
            let user = try ctx.caller(request)
            let id = try ctx.pathID(request)
            let includeDeleted = try LeadInput.includeDeleted(request, user: user)
            let viewer: LeadDetailQuery.Viewer = user.isAdmin ? .admin(includeDeleted: includeDeleted) : .operator_(id: user.id)
            guard let history = try LeadHistoryQuery(db: ctx.db).history(id: id, viewer: viewer) else { throw LeadRoutes.leadNotFound }
            return .json(200, .object(JSONObject([("history", .object(history))])))
        }
    }
}
