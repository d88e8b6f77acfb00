/// `queue.metrics {}`: the queue's metric families for the gateway's `GET /metrics`. No fields.
public struct QueueMetricsBody: IPCBody, Equatable {
    public static var command: QueueCommand { .metrics }

    public init() {}

    public init(body: JSONObject) throws {}

    public var body: JSONObject { JSONObject() }
}
