/// `dialer.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (`callbackAt`
/// epoch ms): the queue-daemon, having checked the disposition rules, has the dialer record it on
/// the call (docs/ipc/dialer.md). The name's shape is checked by the dialer's handler.
public struct SetDispositionBody: IPCBody, Equatable {
    public static var command: DialerCommand { .setDisposition }

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
        guard let role = UserRole(input: try RequestFields.string(body, "actorRole")) else {
            throw IPCError.validationFailed("actorRole must be one of: admin, operator")
        }
        let disposition = try RequestFields.string(body, "disposition")
        let callbackAt = try RequestFields.optionalInt(body, "callbackAt").map(Int64.init)
        self.init(actorId: try RequestFields.objectID(body, "actorId"), actorRole: role,
                  callId: try RequestFields.objectID(body, "callId"), disposition: disposition, callbackAt: callbackAt)
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)),
                               ("callId", .string(callId)), ("disposition", .string(disposition))])
        body["callbackAt"] = callbackAt.map(JSON.int)
        return body
    }
}
