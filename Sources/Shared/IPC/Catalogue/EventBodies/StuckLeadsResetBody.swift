/// `event.stuck_leads_reset {count, reason}`: the dispatcher's recovery put leads left `calling`
/// or `answered` by a lost call back in the queue (at start-up, on the dialer's return, by hand).
public struct StuckLeadsResetBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .stuckLeadsReset }

    public var count: Int64
    public var reason: String

    public init(count: Int64, reason: String) {
        self.count = count
        self.reason = reason
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(count: try reader.optionalInt("count") ?? 0, reason: try reader.requiredString("reason"))
    }

    public var body: JSONObject { JSONObject([("count", .int(count)), ("reason", .string(reason))]) }
}
