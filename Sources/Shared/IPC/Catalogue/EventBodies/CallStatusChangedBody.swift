/// `event.call_status_changed {call, previousStatus}`: the dialer publishes every status change of
/// a call, in order, after storing it (`previousStatus` null for the insert). The queue applies it
/// to the lead (`CallReport`); the gateway turns it into Socket.IO `call_status_updated` & co.
public struct CallStatusChangedBody: IPCSingleEventBody, Equatable {
    public typealias Event = DialerEvent
    public static var only: DialerEvent { .callStatusChanged }

    /// The call object (`CallJSON`).
    public var call: JSONObject
    public var previousStatus: String?

    public init(call: JSONObject, previousStatus: String?) {
        self.call = call
        self.previousStatus = previousStatus
    }

    public init(body: JSONObject) throws {
        guard case .object(let call)? = body["call"] else { throw IPCError.validationFailed("call must be an object") }
        self.init(call: call, previousStatus: try RequestFields.optionalString(body, "previousStatus"))
    }

    public var body: JSONObject {
        JSONObject([("call", .object(call)), ("previousStatus", JSON.from(previousStatus))])
    }
}
