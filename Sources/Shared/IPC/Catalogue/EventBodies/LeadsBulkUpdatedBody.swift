/// `event.leads_bulk_updated {action, leadIds, modifiedCount, actorId}`: a bulk action changed
/// these leads (`queue.bulk_action`; the gateway forwards it as Socket.IO `leads_updated`).
public struct LeadsBulkUpdatedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadsBulkUpdated }

    public var action: String
    public var leadIds: [String]
    public var actorId: String

    public init(action: String, leadIds: [String], actorId: String) {
        self.action = action
        self.leadIds = leadIds
        self.actorId = actorId
    }

    public var modifiedCount: Int { leadIds.count }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(action: try reader.requiredString("action"), leadIds: try reader.optionalStringArray("leadIds") ?? [],
                  actorId: try reader.requiredString("actorId"))
    }

    public var body: JSONObject {
        JSONObject([("action", .string(action)), ("leadIds", .array(leadIds.map(JSON.string))),
                    ("modifiedCount", .int(Int64(modifiedCount))), ("actorId", .string(actorId))])
    }
}
