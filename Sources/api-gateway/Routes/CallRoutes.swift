import Shared

/// `/api/calls` (reference §1.2 #13, #16–#19), operators and admins:
/// - `POST /initiate {leadId, salespersonId?}` → `queue.start_manual_call` → 200
///   `{"message":"Call initiated successfully","call":{id,_id,lead:<phone>,salesperson:<name>,
///   status,twilioCallSid}}` (the earlier version always answered 500). Only admins may name
///   the salesperson;
/// - `GET /` → `{"calls","pagination"}`, newest first, filters `status`, `startDate`, `endDate`,
///   `leadId`, `salespersonId` (admins); operators see only their own calls (fix of bug 25);
///   lead `{_id,id,phone,name}`, salesperson `{_id,id,name,email}` or null; read on a worker
///   (the total is a count over up to millions of calls);
/// - `GET /stats/summary` → `CallStatsQuery` (on a worker thread);
/// - `GET /:id` → `{"call"}` with lead `{_id,id,phone,name,email,priority}` and salesperson
///   `{_id,id,name,email,phone}`; 404 `Call not found`; 403 `Access denied. This call does not
///   belong to you.` for another operator's call; a malformed id is a 400;
/// - `PUT /:id/status {status, duration?, notes?}` → `dialer.update_call` → `{"message":"Call
///   status updated successfully","call"}` (the dialer checks ownership and transitions).
public struct CallRoutes: RouteModule {
    public static let notFoundText = "Call not found"
    public static let notFound = HTTPError.notFound(notFoundText)
    public static let notYours = HTTPError.forbidden("Access denied. This call does not belong to you.")

    let ctx: GatewayContext
    let reader: DashboardReader
    let lists: DashboardReader
    let commands: CallCommands

    public init(ctx: GatewayContext, reader: DashboardReader, lists: DashboardReader) {
        self.ctx = ctx
        self.reader = reader
        self.lists = lists
        commands = CallCommands(ctx: ctx)
    }

    public func register(on router: Router) {
        ctx.route(router, "POST", "/api/calls/initiate", access: .operatorOrAdmin) { req, res in initiate(req, res) }
        ctx.route(router, "GET", "/api/calls", access: .operatorOrAdmin) { req, res in list(req, res) }
        ctx.route(router, "GET", "/api/calls/stats/summary", access: .operatorOrAdmin) { req, res in summary(req, res) }
        ctx.route(router, "GET", "/api/calls/:id", access: .operatorOrAdmin) { req, res in detail(req, res) }
        ctx.route(router, "PUT", "/api/calls/:id/status", access: .operatorOrAdmin) { req, res in updateStatus(req, res) }
    }

    func initiate(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let leadId: String
        let operatorId: String?
        do {
            let caller = try ctx.caller(request)
            let fields = try ctx.bodyFields(request)
            leadId = try fields.id("leadId", required: true) ?? ""
            operatorId = try fields.id("salespersonId")
            if let operatorId, !caller.isAdmin, operatorId != caller.id { throw CallCommands.salespersonChoiceForbidden }
        } catch {
            return ctx.fail(responder, error)
        }
        commands.startManualCall(request, responder, leadId: leadId, operatorId: operatorId) { [ctx] call, lead in
            let name = try call["salesperson"]?.string.flatMap { try ctx.users.user(id: $0)?.name }
            let short = CallCommands.startedCall(call, lead: lead, salesperson: JSON.from(name))
            return .object(["message": "Call initiated successfully", "call": .object(short)])
        }
    }

    func list(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let filter: CallFilter
        let pagination: Pagination
        do {
            filter = try CallFilter.parse(request, caller: try ctx.caller(request))
            pagination = try ctx.pagination(request)
        } catch {
            return ctx.fail(responder, error)
        }
        lists.respondRead(ctx, responder) { db in
            let (calls, total) = try CallListQuery(db: db).page(filter, pagination, population: .list)
            return CallListQuery.pageJSON(calls, total: total, pagination)
        }
    }

    func summary(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let filter: CallFilter
        do {
            filter = try CallFilter.parse(request, caller: try ctx.caller(request), status: false, lead: false)
        } catch {
            return ctx.fail(responder, error)
        }
        reader.respond(ctx, responder) { db, snapshot in
            try CallStatsQuery(db: db, snapshot: snapshot, filter: filter).json()
        }
    }

    func detail(_ request: HTTPRequest, _ responder: HTTPResponder) {
        ctx.answer(responder) {
            let caller = try ctx.caller(request)
            let id = try ctx.pathID(request)
            guard let found = try CallListQuery(db: ctx.db).call(id: id) else { throw Self.notFound }
            guard caller.isAdmin || found.operatorId == caller.id else { throw Self.notYours }
            return .json(200, .object(["call": .object(found.call)]))
        }
    }

    func updateStatus(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let id: String
        let changes: UpdateCallBody.Changes
        do {
            id = try ctx.pathID(request)
            changes = try CallCommands.updateChanges(try ctx.bodyFields(request), statusRequired: true)
        } catch {
            return ctx.fail(responder, error)
        }
        commands.updateCall(request, responder, callId: id, changes: changes,
                            message: "Call status updated successfully", notFound: Self.notFoundText)
    }
}
