/// `dialer.metrics {}`: the dialer's metric families for the gateway's `GET /metrics`. No fields.
public struct DialerMetricsBody: IPCBody, Equatable {
    public static var command: DialerCommand { .metrics }

    public init() {}

    public init(body: JSONObject) throws {}

    public var body: JSONObject { JSONObject() }
}
