/// `event.dnc_changed {action: "added"|"removed"|"imported", phone?, count?, source?, actorId}`:
/// the do-not-call list changed (issue 12).
public struct DncChangedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .dncChanged }

    public enum Action: String, Sendable {
        case added, removed, imported
    }

    public var action: Action
    public var phone: String?
    public var count: Int64?
    public var source: String?
    public var actorId: String

    public init(action: Action, phone: String? = nil, count: Int64? = nil, source: String? = nil, actorId: String) {
        self.action = action
        self.phone = phone
        self.count = count
        self.source = source
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        guard let action = Action(rawValue: try reader.requiredString("action")) else {
            throw IPCError.validationFailed("\"action\" must be added, removed or imported")
        }
        self.init(action: action, phone: try reader.optionalString("phone"), count: try reader.optionalInt("count"),
                  source: try reader.optionalString("source"), actorId: try reader.requiredString("actorId"))
    }

    public var body: JSONObject {
        var body = JSONObject([("action", .string(action.rawValue))])
        body["phone"] = phone.map(JSON.string)
        body["count"] = count.map(JSON.int)
        body["actorId"] = .string(actorId)
        body["source"] = source.map(JSON.string)
        return body
    }
}
