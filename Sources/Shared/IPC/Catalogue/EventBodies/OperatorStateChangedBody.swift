/// `event.operator_state_changed {operatorId, state, previousState, callId, wrapUpUntil}` (issue
/// 14): an operator's activity (`available`, `on_call`, `wrap_up`, `unavailable`) changed;
/// `wrapUpUntil` is an ISO 8601 time or null.
public struct OperatorStateChangedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .operatorStateChanged }

    public var operatorId: String
    public var state: String
    public var previousState: String?
    public var callId: String?
    public var wrapUpUntil: String?

    public init(operatorId: String, state: String, previousState: String?, callId: String?, wrapUpUntil: String?) {
        self.operatorId = operatorId
        self.state = state
        self.previousState = previousState
        self.callId = callId
        self.wrapUpUntil = wrapUpUntil
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(operatorId: try reader.requiredString("operatorId"), state: try reader.requiredString("state"),
                  previousState: try reader.optionalString("previousState"), callId: try reader.optionalString("callId"),
                  wrapUpUntil: try reader.optionalString("wrapUpUntil"))
    }

    public var body: JSONObject {
        JSONObject([("operatorId", .string(operatorId)), ("state", .string(state)),
                    ("previousState", JSON.from(previousState)), ("callId", JSON.from(callId)),
                    ("wrapUpUntil", JSON.from(wrapUpUntil))])
    }
}
