/// `queue.control {actorId?, action, …}`: the admin's queue controls (`POST
/// /api/admin/system/control`, and the gateway's status page with `get_queue_status`). `action`
/// is one of `Action` (a missing one is 400 `action_required`, an unknown one 400
/// `invalid_action` listing them); the action's own keys (`value`, `start`/`end`/`days`,
/// `mode`/`maxAbandonRate`) travel in `arguments` and are read by that action on the queue
/// (`ControlCommand`, `PacingControl`), since their shapes differ per action.
public struct ControlBody: IPCBody, Equatable {
    public static var command: QueueCommand { .control }

    public enum Action: String, CaseIterable, Sendable {
        case pauseQueue = "pause_queue"
        case resumeQueue = "resume_queue"
        case setMaxConcurrentCalls = "set_max_concurrent_calls"
        case getQueueStatus = "get_queue_status"
        case resetStuckLeads = "reset_stuck_leads"
        case setCallingHours = "set_calling_hours"
        case setPacing = "set_pacing"

        public static let names = allCases.map(\.rawValue).joined(separator: ", ")
    }

    public var actorId: String?
    public var action: Action
    /// The body's other keys (everything but `action` and `actorId`).
    public var arguments: JSONObject

    public init(actorId: String? = nil, action: Action, arguments: JSONObject = JSONObject()) {
        self.actorId = actorId
        self.action = action
        self.arguments = arguments
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        guard let name = reader.value("action")?.string, !name.isEmpty else {
            throw IPCError.invalid(code: .actionRequired, error: "Action parameter required",
                                   message: "\"action\" must be one of " + Action.names)
        }
        let actorId = try reader.optionalID("actorId")
        guard let action = Action(rawValue: name) else {
            throw IPCError.invalid(code: .invalidAction, error: "Invalid action specified",
                                   message: "Unknown action \"\(CommandBody.clip(name))\"; allowed: " + Action.names)
        }
        var arguments = body
        arguments["action"] = nil
        arguments["actorId"] = nil
        self.init(actorId: actorId, action: action, arguments: arguments)
    }

    public var body: JSONObject {
        var body = JSONObject([("action", .string(action.rawValue))])
        body["actorId"] = actorId.map(JSON.string)
        for (key, value) in arguments where key != "action" && key != "actorId" { body[key] = value }
        return body
    }
}
