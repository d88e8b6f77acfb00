/// `queue.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (`callbackAt`
/// epoch ms): an operator's outcome from the gateway (`PUT /api/operator/calls/:id/update`, the
/// Socket.IO `update_call_notes`); the queue-daemon checks the rules (`DispositionRules`), has the
/// dialer record it (`SetDispositionBody`) and applies the effect on the lead (docs/ipc/queue.md).
public struct QueueSetDispositionBody: IPCBody, Equatable {
    public static var command: QueueCommand { .setDisposition }

    public var actorId: String
    public var actorRole: UserRole
    public var callId: String
    public var disposition: String
    public var callbackAt: Int64?

    public init(actorId: String, actorRole: UserRole, callId: String, disposition: String, callbackAt: Int64? = nil) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.callId = callId
        self.disposition = disposition
        self.callbackAt = callbackAt
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), actorRole: try reader.actorRole(), callId: try reader.requiredID("callId"),
                  disposition: try reader.requiredString("disposition"), callbackAt: try reader.optionalInt("callbackAt"))
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)),
                               ("callId", .string(callId)), ("disposition", .string(disposition))])
        body["callbackAt"] = callbackAt.map(JSON.int)
        return body
    }
}
