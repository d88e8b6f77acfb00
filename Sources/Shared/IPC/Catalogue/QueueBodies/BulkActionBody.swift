/// `queue.bulk_action {actorId, action, leadIds: [id…], data}`: one admin action on up to 1000
/// leads (`POST /api/admin/leads/bulk`). `action` is one of `Action` (unknown: 400
/// `invalid_action`); without `action` or a `leadIds` array: 400 `invalid_request`. The ids' rules
/// (1…1000, 24-hex, duplicates dropped) are the queue's (`BulkActionCommand`); `data` is typed by
/// the action (`BulkChange`).
public struct BulkActionBody: IPCBody, Equatable {
    public static var command: QueueCommand { .bulkAction }

    public enum Action: String, CaseIterable, Sendable {
        case updatePriority = "update_priority"
        case updateStatus = "update_status"
        case addTags = "add_tags"
        case delete
        case updateTimezone = "update_timezone"

        public static let names = allCases.map(\.rawValue).joined(separator: ", ")
    }

    public var actorId: String
    public var change: BulkChange
    public var leadIds: [String]

    public init(actorId: String, change: BulkChange, leadIds: [String]) {
        self.actorId = actorId
        self.change = change
        self.leadIds = leadIds
    }

    public var action: Action { change.action }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        let actorId = try reader.actorId()
        guard let name = reader.value("action")?.string, let rawIds = reader.value("leadIds")?.array else {
            throw IPCError.invalid(code: .invalidRequest, error: "Invalid request: action and leadIds array required",
                                   message: "\"action\" (a string) and \"leadIds\" (an array of lead ids) are required")
        }
        guard let action = Action(rawValue: name) else {
            throw IPCError.invalid(code: .invalidAction, error: "Invalid action specified",
                                   message: "Unknown action \"\(CommandBody.clip(name))\"; allowed: " + Action.names)
        }
        let leadIds = try rawIds.map {
            guard let id = $0.string else {
                throw IPCError.validationFailed("\"leadIds\" must be 24-character hex ids; invalid: a non-string value")
            }
            return id
        }
        let change = try BulkChange(action, data: CommandBody(reader.value("data")?.object ?? JSONObject()))
        self.init(actorId: actorId, change: change, leadIds: leadIds)
    }

    public var body: JSONObject {
        JSONObject([("actorId", .string(actorId)), ("action", .string(action.rawValue)),
                    ("leadIds", .array(leadIds.map(JSON.string))), ("data", .object(change.data))])
    }
}
