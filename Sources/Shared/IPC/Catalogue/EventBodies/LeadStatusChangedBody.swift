/// `event.lead_status_changed {lead, from, to, reason, actorId}`: a lead moved in its state machine
/// (a person's change, a call's outcome, a claim expiry with `actorId` null).
public struct LeadStatusChangedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadStatusChanged }

    public var lead: JSON
    public var from: String
    public var to: String
    public var reason: String
    public var actorId: String?

    public init(lead: JSON, from: String, to: String, reason: String, actorId: String?) {
        self.lead = lead
        self.from = from
        self.to = to
        self.reason = reason
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(lead: .object(try reader.requiredObject("lead")), from: try reader.requiredString("from"),
                  to: try reader.requiredString("to"), reason: try reader.requiredString("reason"),
                  actorId: try reader.optionalString("actorId"))
    }

    public var body: JSONObject {
        JSONObject([("lead", lead), ("from", .string(from)), ("to", .string(to)), ("reason", .string(reason)),
                    ("actorId", JSON.from(actorId))])
    }
}
