/// The fields `queue.set_disposition` (`QueueSetDispositionBody`, from the gateway) and
/// `dialer.set_disposition` (`SetDispositionBody`, from the queue) share: who reports which
/// disposition for which call, and for a call-back when (epoch ms). Each body decodes them in its
/// daemon's wording; the encoding is this one.
public struct DispositionFields: Equatable, Sendable {
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

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)),
                               ("callId", .string(callId)), ("disposition", .string(disposition))])
        body["callbackAt"] = callbackAt.map(JSON.int)
        return body
    }
}
