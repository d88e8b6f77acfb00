/// `dialer.hangup {callId}`: ends a live call (docs/ipc/dialer.md); an ended call is returned unchanged.
public struct HangupBody: IPCBody, Equatable {
    public static var command: DialerCommand { .hangup }

    public var callId: String

    public init(callId: String) { self.callId = callId }

    public init(body: JSONObject) throws {
        self.init(callId: try RequestFields.objectID(body, "callId"))
    }

    public var body: JSONObject { ["callId": .string(callId)] }
}
