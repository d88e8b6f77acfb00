/// `queue.update_lead {actorId, actorRole, leadId, name?, email?, priority?, notes?, tags?, phone?,
/// status?, timezone?}`: built by the gateway's `PUT /api/leads/:id`, decoded by the queue-daemon's
/// `UpdateLeadCommand` (docs/ipc/queue.md). Only present keys change; `timezone: ""` goes back to
/// the zone of the phone. `status` is a status name, checked by the queue's state machine.
public struct UpdateLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .updateLead }

    public var actorId: String
    public var actorRole: UserRole
    public var leadId: String
    public var fields: LeadFields
    public var status: String?

    public init(actorId: String, actorRole: UserRole, leadId: String, fields: LeadFields, status: String? = nil) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.leadId = leadId
        self.fields = fields
        self.status = status
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), actorRole: try reader.actorRole(), leadId: try reader.requiredID("leadId"),
                  fields: try LeadFields(body: reader), status: try reader.optionalString("status"))
    }

    public var body: JSONObject {
        var body = JSONObject()
        fields.encode(into: &body)
        body["status"] = status.map(JSON.string)
        body["actorId"] = .string(actorId)
        body["actorRole"] = .string(actorRole.rawValue)
        body["leadId"] = .string(leadId)
        return body
    }
}
