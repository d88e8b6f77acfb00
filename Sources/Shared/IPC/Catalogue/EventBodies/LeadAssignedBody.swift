/// `event.lead_assigned {lead, operatorId, callId}` (an answered lead handed to its operator) and
/// `event.callback_due {lead, operatorId, callId}` (a booked call-back being dialed for its
/// operator): both go to that operator and the admins.
public struct LeadAssignedBody: IPCEventBody, Equatable {
    public static var events: [QueueEvent] { [.leadAssigned, .callbackDue] }

    public var event: QueueEvent
    public var lead: JSON
    public var operatorId: String
    public var callId: String

    public init(_ event: QueueEvent = .leadAssigned, lead: JSON, operatorId: String, callId: String) {
        self.event = event
        self.lead = lead
        self.operatorId = operatorId
        self.callId = callId
    }

    /// Decodes as `event.lead_assigned`; `init(event:body:)` keeps the message's own event.
    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(lead: reader.value("lead") ?? .null, operatorId: try reader.requiredString("operatorId"),
                  callId: try reader.requiredString("callId"))
    }

    public init(event: QueueEvent, body: JSONObject) throws {
        try self.init(body: body)
        self.event = event
    }

    public var body: JSONObject {
        JSONObject([("lead", lead), ("operatorId", .string(operatorId)), ("callId", .string(callId))])
    }
}
