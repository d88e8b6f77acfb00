/// `queue.release_lead {actorId, actorRole?, leadId}`: a claim given back (the gateway's
/// `POST /api/operator/leads/release`); an absent `actorRole` is `operator` (least privilege).
public struct ReleaseLeadBody: IPCBody, Equatable {
    public static var command: QueueCommand { .releaseLead }

    public var actorId: String
    public var actorRole: UserRole
    public var leadId: String

    public init(actorId: String, actorRole: UserRole, leadId: String) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.leadId = leadId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), actorRole: try reader.actorRole(fallback: .operator_),
                  leadId: try reader.requiredID("leadId"))
    }

    public var body: JSONObject {
        JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)), ("leadId", .string(leadId))])
    }
}
