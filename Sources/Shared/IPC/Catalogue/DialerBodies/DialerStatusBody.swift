/// `dialer.status {}`: the dialer's live calls (the queue's stuck-lead recovery, the gateway's
/// system status). No fields; unknown keys are ignored.
public struct DialerStatusBody: IPCBody, Equatable {
    public static var command: DialerCommand { .status }

    public init() {}

    public init(body: JSONObject) throws {}

    public var body: JSONObject { JSONObject() }
}
