/// `event.lead_updated {lead, actorId, fields}`: fields of a lead changed (`queue.update_lead`, a
/// do-not-call flag, a daily-cap hold by `system`); `fields` names them (`["name", "priority"]`).
public struct LeadUpdatedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadUpdated }

    public var lead: JSON
    public var actorId: String
    public var fields: [String]

    public init(lead: JSON, actorId: String, fields: [String]) {
        self.lead = lead
        self.actorId = actorId
        self.fields = fields
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(lead: .object(try reader.requiredObject("lead")), actorId: try reader.requiredString("actorId"),
                  fields: try reader.optionalStringArray("fields") ?? [])
    }

    public var body: JSONObject {
        JSONObject([("lead", lead), ("actorId", .string(actorId)), ("fields", .array(fields.map(JSON.string)))])
    }
}
