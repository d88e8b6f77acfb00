import Shared

/// `/api/admin` dashboard, status and queue control (reference §1.2 #28, #29, #32), admins only:
/// - `GET /dashboard` → `DashboardAdminQuery` on a worker thread (cached snapshot);
/// - `GET /system-status` → `SystemStatusQuery` (answers within ~2 s even when a daemon hangs);
/// - `POST /system/control {action, value?}` → `queue.control`: missing action → 400 `Action
///   parameter required`; `pause_queue` → `{"message":"Call queue paused","status":"paused"}`;
///   `resume_queue` → `{"message":"Call queue resumed","status":"running"}`;
///   `reset_stuck_leads` → `{"message":"Stuck leads reset completed","resetCount"}`;
///   `get_queue_status` → `{"message":"Queue status retrieved","status":{…},"activeCalls":[…]}`;
///   `set_max_concurrent_calls` (`value` under `FieldRules.maxConcurrentCalls`) → `{"message":"Max concurrent calls
///   updated","maxConcurrentCalls"}`; anything else → 400 `Invalid action specified` listing
///   the actions (`allowedActions`). queue-daemon down → 503.
/// - `set_calling_hours {start:"HH:MM", end:"HH:MM", days?:["mon",…]}` (issue 12) → `{"message":
///   "Calling hours updated","callingHours":{start,end,days}}`; 400 from the queue-daemon when invalid.
public struct AdminRoutes: RouteModule {
    public static let controlActions = ["pause_queue", "resume_queue", "reset_stuck_leads", "get_queue_status",
                                        "set_max_concurrent_calls", "set_calling_hours", "set_pacing"]

    let ctx: GatewayContext
    let reader: DashboardReader
    /// Authenticated realtime sockets right now (the realtime layer's counter).
    let activeConnections: () -> Int

    public init(ctx: GatewayContext, reader: DashboardReader, activeConnections: @escaping () -> Int = { 0 }) {
        self.ctx = ctx
        self.reader = reader
        self.activeConnections = activeConnections
    }

    public func register(on router: Router) {
        ctx.route(router, "GET", "/api/admin/dashboard", access: .admin) { req, res in dashboard(req, res) }
        ctx.route(router, "GET", "/api/admin/system-status", access: .admin) { _, res in
            SystemStatusQuery(ctx: ctx, activeConnections: activeConnections).run { res.send(.json(200, $0)) }
        }
        ctx.route(router, "POST", "/api/admin/system/control", access: .admin) { req, res in control(req, res) }
    }

    func dashboard(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let now = ctx.nowMillis
        reader.respond(ctx, responder) { db, snapshot in
            try DashboardAdminQuery(db: db, snapshot: snapshot, nowMillis: now).json()
        }
    }

    /// 400 `{"error":"Invalid action specified","message":…,"allowedActions":[…]}`.
    public static var invalidAction: HTTPError {
        HTTPError(.json(400, .object([
            "error": "Invalid action specified",
            "message": .string("\"action\" must be one of " + controlActions.joined(separator: ", ")),
            "allowedActions": .array(controlActions.map(JSON.string)),
        ])))
    }

    public static let actionRequired = HTTPError.badRequest(
        "Action parameter required", message: "\"action\" must be one of " + controlActions.joined(separator: ", "))

    func control(_ request: HTTPRequest, _ responder: HTTPResponder) {
        var arguments = JSONObject()
        let action: String
        let body: ControlBody
        do {
            let caller = try ctx.caller(request)
            let fields = try ctx.bodyFields(request, allowEmpty: true)
            guard let value = fields.object["action"], !value.isNull, value.string != "" else { throw Self.actionRequired }
            guard let text = value.string, Self.controlActions.contains(text) else { throw Self.invalidAction }
            action = text
            if action == "set_max_concurrent_calls" {
                arguments["value"] = .int(try fields.int(FieldRules.maxConcurrentCalls, required: true) ?? 0)
            }
            if action == "set_calling_hours" {
                // `{start, end, days}` at the top level or inside `value`; the queue-daemon validates.
                let source = fields.object["value"]?.object ?? fields.object
                for key in ["start", "end", "days"] { arguments[key] = source[key] }
            }
            if action == "set_pacing" {  // issue 14: validated by the queue-daemon
                for key in ["mode", "maxAbandonRate", "value"] { arguments[key] = fields.object[key] }
            }
            guard let known = ControlBody.Action(rawValue: action) else { throw Self.invalidAction }
            body = ControlBody(actorId: caller.id, action: known, arguments: arguments)
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(body, responder: responder) { reply in
            .json(200, Self.controlResponse(action: action, request: body.body, reply: reply))
        }
    }

    /// The HTTP body for a successful `queue.control` reply.
    static func controlResponse(action: String, request: JSONObject, reply: JSONObject) -> JSON {
        switch action {
        case "pause_queue":
            return ["message": "Call queue paused", "status": "paused"]
        case "resume_queue":
            return ["message": "Call queue resumed", "status": "running"]
        case "reset_stuck_leads":
            return ["message": "Stuck leads reset completed", "resetCount": reply["resetCount"] ?? 0]
        case "set_pacing":
            return .object(reply)
        case "get_queue_status":
            return ["message": "Queue status retrieved", "status": reply["status"] ?? .object([:]),
                    "activeCalls": reply["activeCalls"] ?? []]
        case "set_calling_hours":
            return ["message": "Calling hours updated", "callingHours": reply["callingHours"] ?? .null]
        default:
            return ["message": "Max concurrent calls updated",
                    "maxConcurrentCalls": reply["maxConcurrentCalls"] ?? request["value"] ?? .null]
        }
    }
}
