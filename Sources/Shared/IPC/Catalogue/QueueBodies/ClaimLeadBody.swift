/// `queue.claim_lead {actorId, leadId}`: an operator claims a pending lead (the gateway's
/// `POST /api/operator/leads/claim`), decoded by the queue-daemon's `ClaimLeadCommand`.
public struct ClaimLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .claimLead }

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
