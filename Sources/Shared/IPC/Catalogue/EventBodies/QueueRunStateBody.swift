/// `event.queue_paused` / `event.queue_resumed {paused, status: "paused"|"running", actorId}`:
/// published only when the state changed; the event follows `paused`.
public struct QueueRunStateBody: IPCEventBody, Equatable {
    public static var events: [QueueEvent] { [.queuePaused, .queueResumed] }

    public var paused: Bool
    public var actorId: String?

    public init(paused: Bool, actorId: String?) {
        self.paused = paused
        self.actorId = actorId
    }

    public var event: QueueEvent { paused ? .queuePaused : .queueResumed }
    public var status: String { paused ? "paused" : "running" }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        guard let paused = try reader.optionalBool("paused") else { throw IPCError.validationFailed("\"paused\" is required") }
        self.init(paused: paused, actorId: try reader.optionalString("actorId"))
    }

    public var body: JSONObject {
        JSONObject([("paused", .bool(paused)), ("status", .string(status)), ("actorId", JSON.from(actorId))])
    }
}
