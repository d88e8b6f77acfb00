/// `queue.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (`callbackAt`
/// epoch ms): an operator's outcome from the gateway (`PUT /api/operator/calls/:id/update`, the
/// Socket.IO `update_call_notes`); the queue-daemon checks the rules (`DispositionRules`), has the
/// dialer record it (`SetDispositionBody`) and applies the effect on the lead (docs/ipc/queue.md).
public struct QueueSetDispositionBody: IPCBody, Equatable {
    public static var command: QueueCommand { .setDisposition }

    public var fields: DispositionFields

    public init(_ fields: DispositionFields) { self.fields = fields }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(DispositionFields(actorId: try reader.actorId(), actorRole: try reader.actorRole(),
                                    callId: try reader.requiredID("callId"), disposition: try reader.requiredString("disposition"),
                                    callbackAt: try reader.optionalInt("callbackAt")))
    }

    public var body: JSONObject { fields.body }
}
