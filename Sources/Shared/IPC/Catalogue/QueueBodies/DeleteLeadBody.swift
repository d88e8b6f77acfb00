/// `queue.delete_lead {actorId, leadId}`: the gateway's `DELETE /api/leads/:id` (admin), decoded
/// by the queue-daemon's `DeleteLeadCommand` (docs/ipc/queue.md).
public struct DeleteLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .deleteLead }

    public var actorId: String
    public var leadId: String

    public init(actorId: String, leadId: String) {
        self.actorId = actorId
        self.leadId = leadId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), leadId: try reader.requiredID("leadId"))
    }

    public var body: JSONObject {
        JSONObject([("actorId", .string(actorId)), ("leadId", .string(leadId))])
    }
}
