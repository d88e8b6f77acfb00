/// `event.queue_explained {…explanation, previousReason}` (issue 17): the queue's explanation
/// (`DialabilityJSON.explanation`: `dialing`, `reason`, `message`, `blockers`, …) when its
/// headline `reason` changes, with the reason before (null at the first).
public struct QueueExplainedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .queueExplained }

    /// The explanation object's keys, as `queue.explain` answers them.
    public var explanation: JSONObject
    public var previousReason: String?

    public init(explanation: JSONObject, previousReason: String?) {
        self.explanation = explanation
        self.previousReason = previousReason
    }

    public var reason: String? { explanation["reason"]?.string }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        _ = try reader.requiredString("reason")
        var explanation = body
        explanation["previousReason"] = nil
        self.init(explanation: explanation, previousReason: try reader.optionalString("previousReason"))
    }

    public var body: JSONObject {
        var body = explanation
        body["previousReason"] = JSON.from(previousReason)
        return body
    }
}
