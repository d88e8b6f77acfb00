/// `queue.explain {}`: why the queue is or is not dialing (issue 17). No fields.
public struct ExplainBody: IPCBody, Equatable {
    public static var command: QueueCommand { .explain }

    public init() {}

    public init(body: JSONObject) throws {}

    public var body: JSONObject { JSONObject() }
}
