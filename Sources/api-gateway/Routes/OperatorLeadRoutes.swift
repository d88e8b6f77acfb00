import Shared

/// The operator panel's lead routes (operators and admins): #34 `GET /api/operator/leads/available`
/// (answered from SQL through the cached `LeadAvailableQuery`; `priority` and `search` narrow the
/// available set instead of replacing its conditions, fix of the earlier dead code), #35
/// `POST /api/operator/leads/claim {leadId}` and `POST /api/operator/leads/release {leadId}`,
/// both forwarded to the queue-daemon, which decides atomically (409 `Lead is not available for
/// claiming`, 404 `Lead not found`, 409 `Lead is not active`).
struct OperatorLeadRoutes: RouteModule {
    static let availablePath = "/api/operator/leads/available"
    static let claimPath = "/api/operator/leads/claim"
    static let releasePath = "/api/operator/leads/release"

    static let leadIDRequired = HTTPError.badRequest("Lead ID is required", message: "Send {\"leadId\": <lead id>}")

    let ctx: GatewayContext
    let available: LeadAvailableQuery

    init(ctx: GatewayContext) {
        self.ctx = ctx
        available = LeadAvailableQuery(db: ctx.db, worker: LeadReadWorker(loop: ctx.loop, path: ctx.db.path))
    }

    func register(on router: Router) {
        ctx.route(router, "GET", Self.availablePath, access: .operatorOrAdmin) { request, responder in
            ctx.answer(responder) { try availableLeads(request) }
        }
        ctx.route(router, "POST", Self.claimPath, access: .operatorOrAdmin) { request, responder in
            forwardLeadCommand(request, responder, message: "Lead claimed successfully") { user, leadId in
                ClaimLeadBody(actorId: user.id, actorRole: user.role, leadId: leadId)
            }
        }
        ctx.route(router, "POST", Self.releasePath, access: .operatorOrAdmin) { request, responder in
            forwardLeadCommand(request, responder, message: "Lead released successfully") { user, leadId in
                ReleaseLeadBody(actorId: user.id, actorRole: user.role, leadId: leadId)
            }
        }
    }

    /// #34: the due, unassigned, pending leads in dispatch order, as cached JSON bytes.
    func availableLeads(_ request: HTTPRequest) throws -> HTTPResponse {
        let pagination = try ctx.pagination(request)
        var filter = LeadAvailableQuery.Filter()
        filter.page = pagination.page
        filter.limit = pagination.limit
        filter.priority = try QueryParams.oneOf(request, "priority", allowed: LeadInput.priorityNames,
                                                parse: LeadPriority.init(rawValue:))
        filter.search = try QueryParams.string(request, "search", maxLength: LeadListFilter.maxSearchLength)
        let body = try available.body(filter, now: ctx.nowMillis)
        return .bytes(200, body, contentType: "application/json; charset=utf-8")
    }

    /// Claim or release: `{leadId}` checked here, the decision taken by the queue-daemon (the role
    /// lets an admin release another operator's claim).
    func forwardLeadCommand<Body: IPCBody>(_ request: HTTPRequest, _ responder: HTTPResponder, message: String,
                                           command build: (AuthUser, String) -> Body) {
        let command: Body
        do {
            let user = try ctx.caller(request)
            command = build(user, try Self.leadID(try ctx.bodyFields(request)))
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(command, responder: responder) { reply in
            let lead = try LeadRoutes.lead(in: reply)
            return .json(200, .object(JSONObject([("message", .string(message)), ("lead", Self.claimView(lead))])))
        }
    }

    /// `leadId` from the body: missing or empty → 400 `Lead ID is required`; malformed → 400.
    static func leadID(_ body: BodyFields) throws -> String {
        switch body.object["leadId"] {
        case nil, .null?: throw leadIDRequired
        case .string(let id)? where id.isEmpty: throw leadIDRequired
        default: break
        }
        guard let id = try body.id("leadId", required: true) else { throw leadIDRequired }
        return id
    }

    /// The claim answer's lead: `{id,_id,phone,name,priority,status,assignedTo,claimedAt}`.
    static func claimView(_ lead: JSON) -> JSON {
        var view = JSONObject()
        for key in ["id", "_id", "phone", "name", "priority", "status", "assignedTo", "claimedAt"] {
            view[key] = lead[key] ?? .null
        }
        return .object(view)
    }
}
