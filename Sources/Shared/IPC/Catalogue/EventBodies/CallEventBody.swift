/// `event.call_updated {call}` (an operator's outcome was accepted: the queue ends that operator's
/// wrap-up) and `event.call_connected {call}` (a waiting call got its operator), published by the
/// dialer (docs/ipc/dialer.md "Events").
public struct CallEventBody: IPCEventBody, Equatable {
    public static var events: [DialerEvent] { [.callUpdated, .callConnected] }

    public var event: DialerEvent
    /// The call object (`CallJSON`).
    public var call: JSONObject

    public init(_ event: DialerEvent, call: JSONObject) {
        self.event = event
        self.call = call
    }

    /// Decodes as `event.call_updated`; `init(event:body:)` keeps the message's own event.
    public init(body: JSONObject) throws {
        guard case .object(let call)? = body["call"] else { throw IPCError.validationFailed("call must be an object") }
        self.init(.callUpdated, call: call)
    }

    public init(event: DialerEvent, body: JSONObject) throws {
        try self.init(body: body)
        self.event = event
    }

    public var body: JSONObject { JSONObject([("call", .object(call))]) }
}
