/// `event.queue_settings_changed {paused, maxConcurrentCalls, callingHours, actorId}`: a queue
/// setting changed (`queue.control`); `callingHours` is `{start, end, days}`.
public struct QueueSettingsChangedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .queueSettingsChanged }

    public var paused: Bool
    public var maxConcurrentCalls: Int64
    public var callingHours: JSON
    public var actorId: String?

    public init(paused: Bool, maxConcurrentCalls: Int64, callingHours: JSON, actorId: String?) {
        self.paused = paused
        self.maxConcurrentCalls = maxConcurrentCalls
        self.callingHours = callingHours
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        guard let paused = try reader.optionalBool("paused") else { throw IPCError.validationFailed("\"paused\" is required") }
        guard let max = try reader.optionalInt("maxConcurrentCalls") else {
            throw IPCError.validationFailed("\"maxConcurrentCalls\" is required")
        }
        self.init(paused: paused, maxConcurrentCalls: max, callingHours: reader.value("callingHours") ?? .null,
                  actorId: try reader.optionalString("actorId"))
    }

    public var body: JSONObject {
        JSONObject([("paused", .bool(paused)), ("maxConcurrentCalls", .int(maxConcurrentCalls)),
                    ("callingHours", callingHours), ("actorId", JSON.from(actorId))])
    }
}
