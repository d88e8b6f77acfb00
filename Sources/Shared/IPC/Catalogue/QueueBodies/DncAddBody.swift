/// `queue.dnc_add {actorId, phone, reason?, source?}`: a number onto the do-not-call list (the
/// gateway's admin route); `source` is `manual` (default), `import` or `disposition`. The phone's
/// and reason's rules are the queue's (docs/ipc/queue.md).
public struct DncAddBody: IPCBody, Equatable {
    public static var command: QueueCommand { .dncAdd }
    public static let sources = ["manual", "import", "disposition"]

    public var actorId: String
    public var phone: String
    public var reason: String?
    public var source: String?

    public init(actorId: String, phone: String, reason: String? = nil, source: String? = nil) {
        self.actorId = actorId
        self.phone = phone
        self.reason = reason
        self.source = source
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        let actorId = try reader.actorId()
        let phone = try reader.requiredString("phone")
        let reason = try reader.optionalString("reason")
        let source = try reader.optionalString("source")
        if let source, !Self.sources.contains(source) {
            throw IPCError.validationFailed("\"source\" must be manual, import or disposition")
        }
        self.init(actorId: actorId, phone: phone, reason: reason, source: source)
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("phone", .string(phone))])
        body["reason"] = reason.map(JSON.string)
        body["source"] = source.map(JSON.string)
        return body
    }
}
