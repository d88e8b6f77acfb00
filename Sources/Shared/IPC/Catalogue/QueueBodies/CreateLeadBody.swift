/// `queue.create_lead {actorId, phone, name?, email?, priority?, notes?, tags?, timezone?}`: built
/// by the gateway's `POST /api/leads`, decoded by the queue-daemon's `CreateLeadCommand`
/// (docs/ipc/queue.md). `phone` is required; the field rules are the queue's `LeadFieldValidator`.
public struct CreateLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .createLead }

    public var actorId: String
    public var fields: LeadFields

    public init(actorId: String, fields: LeadFields) {
        self.actorId = actorId
        self.fields = fields
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        let actorId = try reader.actorId()
        _ = try reader.requiredString("phone")
        self.init(actorId: actorId, fields: try LeadFields(body: reader))
    }

    public var body: JSONObject {
        var body = JSONObject()
        fields.encode(into: &body)
        body["actorId"] = .string(actorId)
        return body
    }
}
