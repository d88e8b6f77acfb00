/// `event.lead_created {lead, actorId}`: a lead was created by hand (`queue.create_lead`).
public struct LeadCreatedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadCreated }

    /// The lead object (`LeadJSON`).
    public var lead: JSON
    public var actorId: String

    public init(lead: JSON, actorId: String) {
        self.lead = lead
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(lead: .object(try reader.requiredObject("lead")), actorId: try reader.requiredString("actorId"))
    }

    public var body: JSONObject { JSONObject([("lead", lead), ("actorId", .string(actorId))]) }
}
