/// `event.lead_deleted {leadId, lead, actorId}`: a lead was soft-deleted (`queue.delete_lead`).
public struct LeadDeletedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadDeleted }

    public var leadId: String
    public var lead: JSON
    public var actorId: String

    public init(leadId: String, lead: JSON, actorId: String) {
        self.leadId = leadId
        self.lead = lead
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(leadId: try reader.requiredString("leadId"), lead: .object(try reader.requiredObject("lead")),
                  actorId: try reader.requiredString("actorId"))
    }

    public var body: JSONObject { JSONObject([("leadId", .string(leadId)), ("lead", lead), ("actorId", .string(actorId))]) }
}
