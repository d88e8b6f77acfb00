/// `event.lead_claimed {lead, operatorId}`: an operator claimed a lead (`queue.claim_lead`).
public struct LeadClaimedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadClaimed }

    public var lead: JSON
    public var operatorId: String

    public init(lead: JSON, operatorId: String) {
        self.lead = lead
        self.operatorId = operatorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(lead: .object(try reader.requiredObject("lead")), operatorId: try reader.requiredString("operatorId"))
    }

    public var body: JSONObject { JSONObject([("lead", lead), ("operatorId", .string(operatorId))]) }
}
