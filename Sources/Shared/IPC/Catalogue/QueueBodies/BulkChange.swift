/// What one `queue.bulk_action` does, with its `data`: `update_priority {priority}`,
/// `update_status {status}`, `add_tags {tags}`, `delete` (no data), `update_timezone {timezone}`
/// (`""`: back to each lead's phone zone). Decoding checks presence and types (in the queue's
/// wording); the values' rules are the queue's (`BulkActionCommand`, `LeadFieldValidator`).
public enum BulkChange: Equatable, Sendable {
    case updatePriority(String)
    case updateStatus(String)
    case addTags([String])
    case delete
    case updateTimezone(String)

    public var action: BulkActionBody.Action {
        switch self {
        case .updatePriority: return .updatePriority
        case .updateStatus: return .updateStatus
        case .addTags: return .addTags
        case .delete: return .delete
        case .updateTimezone: return .updateTimezone
        }
    }

    /// `data` of `action` (absent or not an object: empty).
    public init(_ action: BulkActionBody.Action, data: CommandBody) throws {
        switch action {
        case .updatePriority: self = .updatePriority(try data.requiredString("priority"))
        case .updateStatus: self = .updateStatus(try data.requiredString("status"))
        case .addTags:
            self = .addTags(try data.requiredArray("tags").map {
                guard let tag = $0.string else { throw IPCError.validationFailed("\"data.tags\" must be an array of strings") }
                return tag
            })
        case .delete: self = .delete
        case .updateTimezone: self = .updateTimezone(data.value("timezone")?.string ?? "")
        }
    }

    public var data: JSONObject {
        switch self {
        case .updatePriority(let priority): return ["priority": .string(priority)]
        case .updateStatus(let status): return ["status": .string(status)]
        case .addTags(let tags): return ["tags": .array(tags.map(JSON.string))]
        case .delete: return JSONObject()
        case .updateTimezone(let zone): return ["timezone": .string(zone)]
        }
    }
}
