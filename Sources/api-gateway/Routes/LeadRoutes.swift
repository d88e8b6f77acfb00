import Shared

/// The `/api/leads` routes (original-behaviour §1.2 items 6–12). Reads (#8 list, #9 detail,
/// #12 stats) are answered straight from SQL; writes (#7 create, #10 update, #11 delete) are
/// validated here and forwarded to the queue-daemon, which owns the `leads` table; the CSV upload
/// (#6) lives in `LeadUploadRoute`. Every lead carries `_id` and `id`.
struct LeadRoutes: RouteModule {
    let ctx: GatewayContext
    let list: LeadListQuery
    let detail: LeadDetailQuery
    let stats: LeadStatsQuery
    let upload: LeadUploadRoute
    let dialability: LeadDialabilityCache
    let listRoute: LeadListRoute

    init(ctx: GatewayContext) {
        self.ctx = ctx
        let worker = LeadReadWorker(loop: ctx.loop, path: ctx.db.path)
        list = LeadListQuery(db: ctx.db, worker: worker)
        detail = LeadDetailQuery(db: ctx.db)
        stats = LeadStatsQuery(db: ctx.db, worker: worker)
        upload = LeadUploadRoute(ctx: ctx)
        dialability = LeadDialabilityCache(db: ctx.db, clock: ctx.clock)
        listRoute = LeadListRoute(ctx: ctx, list: list, dialability: dialability)
    }

    func register(on router: Router) {
        upload.register(on: router)
        ctx.route(router, "POST", "/api/leads", access: .operatorOrAdmin, idempotent: true) { request, responder in
            createLead(request, responder)
        }
        ctx.route(router, "GET", "/api/leads", access: .operatorOrAdmin) { request, responder in
            listRoute.answer(request, responder)
        }
        ctx.route(router, "GET", "/api/leads/stats/summary", access: .operatorOrAdmin) { _, responder in
            ctx.answer(responder) { .json(200, .object(try stats.run())) }
        }
        ctx.route(router, "GET", "/api/leads/:id", access: .operatorOrAdmin) { request, responder in
            withDialability(responder, enrich: LeadDialability.enrichDetail) { try getLead(request) }
        }
        ctx.route(router, "PUT", "/api/leads/:id", access: .operatorOrAdmin) { request, responder in
            updateLead(request, responder)
        }
        ctx.route(router, "DELETE", "/api/leads/:id", access: .admin) { request, responder in
            deleteLead(request, responder)
        }
    }

    // MARK: Reads

    /// #9: the lead with `assignedTo` populated and its `callHistory`; 404 when hidden, absent or
    /// deleted (admins see a deleted lead with `includeDeleted=true`, as in the list).
    func getLead(_ request: HTTPRequest) throws -> JSONObject {
        let user = try ctx.caller(request)
        let id = try ctx.pathID(request)
        let includeDeleted = try LeadInput.includeDeleted(request, user: user)
        let viewer: LeadDetailQuery.Viewer = user.isAdmin ? .admin(includeDeleted: includeDeleted) : .operator_(id: user.id)
        guard let lead = try detail.lead(id: id, viewer: viewer) else { throw LeadRoutes.leadNotFound }
        return JSONObject([("lead", .object(lead))])
    }

    /// Answers `read`'s JSON with each lead's `dialability` added (issue 17).
    func withDialability(_ responder: HTTPResponder,
                         enrich: @escaping (GatewayContext, JSONObject, @escaping (JSONObject) -> Void) -> Void,
                         _ read: () throws -> JSONObject) {
        let body: JSONObject
        do {
            body = try read()
        } catch {
            return ctx.fail(responder, error)
        }
        enrich(ctx, body) { responder.send(.json(200, .object($0))) }
    }

    static let leadNotFound = HTTPError.notFound("Lead not found", message: "No lead with this id")

    // MARK: Writes (forwarded to the queue-daemon)

    /// #7: 201 `{"message":"Lead created successfully","lead"}`; a known phone → 409 from the queue.
    func createLead(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let body: CreateLeadBody
        do {
            let user = try ctx.caller(request)
            body = CreateLeadBody(actorId: user.id, fields: try LeadInput.createFields(try ctx.bodyFields(request),
                                                                                      countryCode: ctx.config.defaultCountryCode))
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(body, responder: responder) { reply in
            .json(201, .object(JSONObject([("message", "Lead created successfully"),
                                           ("lead", try LeadRoutes.lead(in: reply))])))
        }
    }

    /// #10: `{"message":"Lead updated successfully","lead"}`; the queue decides who may change what.
    func updateLead(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let body: UpdateLeadBody
        do {
            let user = try ctx.caller(request)
            let id = try ctx.pathID(request)
            let update = try LeadInput.updateFields(try ctx.bodyFields(request), countryCode: ctx.config.defaultCountryCode)
            body = UpdateLeadBody(actorId: user.id, actorRole: user.role, leadId: id, fields: update.fields,
                                  status: update.status?.rawValue)
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(body, responder: responder) { reply in
            .json(200, .object(JSONObject([("message", "Lead updated successfully"),
                                           ("lead", try LeadRoutes.lead(in: reply))])))
        }
    }

    /// #11 (admin): soft delete → `{"message":"Lead deleted successfully"}`.
    func deleteLead(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let body: DeleteLeadBody
        do {
            let user = try ctx.caller(request)
            body = DeleteLeadBody(actorId: user.id, leadId: try ctx.pathID(request))
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(body, responder: responder) { _ in
            .json(200, .object(JSONObject([("message", "Lead deleted successfully")])))
        }
    }

    /// The `lead` object of a queue reply; a reply without one is a daemon bug (500).
    static func lead(in reply: JSONObject) throws -> JSON {
        guard case .object(let lead)? = reply["lead"] else {
            throw IPCError.internal(code: .badReply, message: "The queue-daemon replied without a lead")
        }
        return .object(lead)
    }
}
