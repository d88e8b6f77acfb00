/// `queue.claim_lead {actorId, actorRole?, leadId}`: an operator claims a pending lead (the
/// gateway's `POST /api/operator/leads/claim`), decoded by the queue-daemon's `ClaimLeadCommand`.
/// The gateway sends the caller's role as it does for a release; the claim does not depend on it.
public struct ClaimLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .claimLead }

    public var actorId: String
    public var actorRole: UserRole?
    public var leadId: String

    public init(actorId: String, actorRole: UserRole? = nil, leadId: String) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.leadId = leadId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        let actorId = try reader.actorId()
        let role = reader.has("actorRole") ? try reader.actorRole() : nil
        self.init(actorId: actorId, actorRole: role, leadId: try reader.requiredID("leadId"))
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId))])
        body["actorRole"] = actorRole.map { .string($0.rawValue) }
        body["leadId"] = .string(leadId)
        return body
    }
}
