/// `queue.start_manual_call {actorId, actorRole, leadId, operatorId?}`: a person starts a call
/// (the gateway's `POST /api/calls/initiate`, `POST /api/operator/calls/start`); an admin may name
/// the operator who takes it (docs/ipc/queue.md, `ManualCallCommand`).
public struct StartManualCallBody: IPCBody, Equatable {
    public static var command: QueueCommand { .startManualCall }

    public var actorId: String
    public var actorRole: UserRole
    public var leadId: String
    public var operatorId: String?

    public init(actorId: String, actorRole: UserRole, leadId: String, operatorId: String? = nil) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.leadId = leadId
        self.operatorId = operatorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), actorRole: try reader.actorRole(), leadId: try reader.requiredID("leadId"),
                  operatorId: try reader.optionalID("operatorId"))
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)),
                               ("leadId", .string(leadId))])
        body["operatorId"] = operatorId.map(JSON.string)
        return body
    }
}
