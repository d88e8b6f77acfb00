import Shared

/// The call mutations shared by the calls and operator routes, forwarded over IPC to their owner
/// (DESIGN §3): starting a manual call (`queue.start_manual_call`, routes #13 and #36) and an
/// operator's outcome report (`dialer.update_call`, routes #18 and #37). The body is validated
/// here first, so a bad field is a 400 naming it without a round trip; the daemons' refusals
/// (404, 403, 409, …) and 503 when a daemon is down come back through `ctx.forward`.
public struct CallCommands {
    /// 403 when an operator tries to pick who takes a call.
    public static let salespersonChoiceForbidden = HTTPError.forbidden(
        "Access denied. Only admins can choose the salesperson.")

    public let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    /// `queue.start_manual_call {actorId, actorRole, leadId, operatorId?}`; `render` turns the
    /// reply's `call` and `lead` objects into the response body.
    public func startManualCall(_ request: HTTPRequest, _ responder: HTTPResponder, leadId: String,
                                operatorId: String?, render: @escaping (_ call: JSONObject, _ lead: JSONObject) throws -> JSON) {
        guard let caller = request.user else { return ctx.fail(responder, AuthGuard.noTokenError) }
        let body = StartManualCallBody(actorId: caller.id, actorRole: caller.role, leadId: leadId, operatorId: operatorId)
        ctx.forward(body, responder: responder) { reply in
            .json(200, try render(reply["call"]?.object ?? [:], reply["lead"]?.object ?? [:]))
        }
    }

    /// `dialer.update_call {actorId, actorRole, callId, status?, notes?, duration?}` →
    /// `{"message": message, "call": <call>}`. `notFound` replaces the dialer's 404 error text
    /// (`Call log not found`, route #37's) for routes whose clients expect another one.
    public func updateCall(_ request: HTTPRequest, _ responder: HTTPResponder, callId: String,
                           changes: UpdateCallBody.Changes, message: String, notFound: String? = nil) {
        guard let caller = request.user else { return ctx.fail(responder, AuthGuard.noTokenError) }
        let body = UpdateCallBody(actorId: caller.id, actorRole: caller.role, callId: callId, changes: changes)
        let map: (JSONObject) throws -> HTTPResponse = { reply in
            .json(200, .object(["message": .string(message), "call": reply["call"] ?? .null]))
        }
        ctx.forward(body, responder: responder, mapError: { error in
            guard let notFound, error.status == 404 else { return nil }
            return HTTPError.notFound(notFound, message: error.message)
        }, map: map)
    }

    /// The validated `status` / `notes` / `duration` of an update body: status one of the call
    /// statuses (400 listing them), notes under `FieldRules.callNotes`, duration a whole number of
    /// seconds under `FieldRules.callDuration`. With `statusRequired` a missing status is a 400; otherwise at least one
    /// of the three must be given.
    public static func updateChanges(_ fields: BodyFields, statusRequired: Bool) throws -> UpdateCallBody.Changes {
        var changes = UpdateCallBody.Changes()
        // Issue 14: `abandoned` and `machine` are the dialer's own outcomes, not reported by people.
        changes.status = try fields.oneOf("status", required: statusRequired,
                                          allowed: CallStatus.operatorSettable.map(\.rawValue),
                                          parse: CallStatus.init(rawValue:))
        changes.notes = try fields.string(FieldRules.callNotes, trim: false, multiline: true)
        changes.duration = try fields.int(FieldRules.callDuration).map { Int($0) }
        if changes.isEmpty {
            throw HTTPError.validation("At least one of \"status\", \"notes\" or \"duration\" is required")
        }
        return changes
    }

    /// The short call of the start responses: `{id, _id, lead: <phone>, salesperson?, status,
    /// twilioCallSid}` (`salesperson`, the operator's name, only when given).
    public static func startedCall(_ call: JSONObject, lead: JSONObject, salesperson: JSON? = nil) -> JSONObject {
        let id = call["id"] ?? call["_id"] ?? .null
        var short = JSONObject([("id", id), ("_id", id), ("lead", lead["phone"] ?? call["to"] ?? .null)])
        if let salesperson { short["salesperson"] = salesperson }
        short["status"] = call["status"] ?? .string(CallStatus.initiated.rawValue)
        short["twilioCallSid"] = call["twilioCallSid"] ?? .null
        return short
    }
}
