/// `dialer.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (`callbackAt`
/// epoch ms): the queue-daemon, having checked the disposition rules, has the dialer record it on
/// the call (docs/ipc/dialer.md). The name's shape is checked by the dialer's handler.
public struct SetDispositionBody: IPCBody, Equatable {
    public static var command: DialerCommand { .setDisposition }

    public var fields: DispositionFields

    public init(_ fields: DispositionFields) { self.fields = fields }

    public init(body: JSONObject) throws {
        guard let role = UserRole(input: try RequestFields.string(body, "actorRole")) else {
            throw IPCError.validationFailed("actorRole must be one of: admin, operator")
        }
        let disposition = try RequestFields.string(body, "disposition")
        let callbackAt = try RequestFields.optionalInt(body, "callbackAt").map(Int64.init)
        self.init(DispositionFields(actorId: try RequestFields.objectID(body, "actorId"), actorRole: role,
                                    callId: try RequestFields.objectID(body, "callId"), disposition: disposition,
                                    callbackAt: callbackAt))
    }

    public var body: JSONObject { fields.body }
}
