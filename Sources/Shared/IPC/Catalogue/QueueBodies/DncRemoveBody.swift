/// `queue.dnc_remove {actorId, phone}`: a number off the do-not-call list (its lead is handed back
/// to dispatch).
public struct DncRemoveBody: IPCBody, Equatable {
    public static var command: QueueCommand { .dncRemove }

    public var actorId: String
    public var phone: String

    public init(actorId: String, phone: String) {
        self.actorId = actorId
        self.phone = phone
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(actorId: try reader.actorId(), phone: try reader.requiredString("phone"))
    }

    public var body: JSONObject { JSONObject([("actorId", .string(actorId)), ("phone", .string(phone))]) }
}
