import Shared

/// `/api/operator/calls` (reference §1.2 #36–#38), operators and admins:
/// - `POST /start {leadId}` → `queue.start_manual_call` (the caller takes the call) → 200
///   `{"message":"Call started successfully","call":{id,_id,lead:<phone>,status,twilioCallSid}}`
///   (the earlier version always answered 500);
/// - `PUT /:id/update {status?, notes?, duration?}` → `dialer.update_call` → `{"message":"Call
///   updated successfully","call"}`; the dialer lets operators update only their own calls
///   (403 `Access denied. This call does not belong to you.`) and admins any; status is one of
///   `initiated, ringing, answered, completed, busy, no-answer, failed, canceled`, notes at most
///   1000 characters, duration 0…86400 seconds (400 naming the field otherwise); `disposition`
///   (+ `callbackAt` for `callback`) goes to `queue.set_disposition` first (issue 12), answered
///   with `{message, call, lead}` when nothing else changes;
/// - `GET /history` → the caller's own calls newest first with `status`, `startDate`, `endDate`
///   and pagination (the earlier version rejected every filter with 400), lead
///   `{_id,id,phone,name,priority}` → `{"calls","pagination"}`, read on a worker.
public struct OperatorCallRoutes: RouteModule {
    let ctx: GatewayContext
    let lists: DashboardReader
    let commands: CallCommands

    public init(ctx: GatewayContext, lists: DashboardReader) {
        self.ctx = ctx
        self.lists = lists
        commands = CallCommands(ctx: ctx)
    }

    public func register(on router: Router) {
        ctx.route(router, "POST", "/api/operator/calls/start", access: .operatorOrAdmin) { req, res in start(req, res) }
        ctx.route(router, "PUT", "/api/operator/calls/:id/update", access: .operatorOrAdmin) { req, res in update(req, res) }
        ctx.route(router, "GET", "/api/operator/calls/history", access: .operatorOrAdmin) { req, res in history(req, res) }
    }

    func start(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let leadId: String
        do {
            leadId = try ctx.bodyFields(request).id("leadId", required: true) ?? ""
        } catch {
            return ctx.fail(responder, error)
        }
        commands.startManualCall(request, responder, leadId: leadId, operatorId: nil) { call, lead in
            .object(["message": "Call started successfully", "call": .object(CallCommands.startedCall(call, lead: lead))])
        }
    }

    func update(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let id: String
        var changes: UpdateCallBody.Changes?
        let disposition: DispositionInput.Choice?
        do {
            id = try ctx.pathID(request)
            let fields = try ctx.bodyFields(request)
            disposition = try DispositionInput.fields(fields.object, allowed: ctx.config.dispositions)
            let rest = BodyFields(DispositionInput.remainder(fields.object))
            if disposition == nil || !rest.object.isEmpty {
                changes = try CallCommands.updateChanges(rest, statusRequired: false)
            }
        } catch {
            return ctx.fail(responder, error)
        }
        guard let disposition, let caller = request.user else {
            return commands.updateCall(request, responder, callId: id, changes: changes ?? UpdateCallBody.Changes(), message: "Call updated successfully")
        }
        // Issue 12: the queue-daemon decides and has the dialer record it; other changes follow.
        let body = QueueSetDispositionBody(DispositionFields(actorId: caller.id, actorRole: caller.role, callId: id,
                                                             disposition: disposition.disposition,
                                                             callbackAt: disposition.callbackAt))
        ctx.queue.request(body) { [ctx, commands] result in
            switch result {
            case .failure(let error):
                ctx.fail(responder, error)
            case .success(let reply):
                if disposition.disposition == Dispositions.doNotCall {
                    ctx.audit.record(actor: caller.id, action: "dnc.added", target: reply["lead"]?["phone"]?.string,
                                     detail: "disposition do_not_call on call \(id)")
                }
                if let changes {
                    return commands.updateCall(request, responder, callId: id, changes: changes,
                                               message: "Call updated successfully")
                }
                responder.send(.json(200, .object(["message": "Call updated successfully", "call": reply["call"] ?? .null,
                                                   "lead": reply["lead"] ?? .null])))
            }
        }
    }

    func history(_ request: HTTPRequest, _ responder: HTTPResponder) {
        var filter: CallFilter
        let pagination: Pagination
        do {
            let caller = try ctx.caller(request)
            filter = try CallFilter.parse(request, caller: caller, lead: false, salesperson: false)
            filter.operatorId = caller.id
            pagination = try ctx.pagination(request)
        } catch {
            return ctx.fail(responder, error)
        }
        let chosen = filter
        lists.respondRead(ctx, responder) { db in
            let (calls, total) = try CallListQuery(db: db).page(chosen, pagination, population: .history)
            return CallListQuery.pageJSON(calls, total: total, pagination)
        }
    }
}
