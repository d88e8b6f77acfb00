/// `dialer.connect_call {callId, operatorId, operatorPhone?}` (issue 14): the queue-daemon hands an
/// answered call placed without an operator to one; the dialer-daemon decodes it
/// (docs/ipc/dialer.md). A bad id is one 400 for both fields. Reply `{call}`; 409 `call_not_waiting`
/// when the call is not answered and waiting (abandoned or ended meanwhile, or it has an operator).
public struct ConnectCallBody: IPCBody, Equatable {
    public static var command: DialerCommand { .connectCall }

    public var callId: String
    public var operatorId: String
    public var operatorPhone: String?

    public init(callId: String, operatorId: String, operatorPhone: String? = nil) {
        self.callId = callId
        self.operatorId = operatorId
        self.operatorPhone = operatorPhone
    }

    public init(body: JSONObject) throws {
        guard let callId = body["callId"]?.string, ObjectID.isValid(callId),
              let operatorId = body["operatorId"]?.string, ObjectID.isValid(operatorId) else {
            throw IPCError.validationFailed("callId and operatorId must be ids")
        }
        self.init(callId: callId, operatorId: operatorId, operatorPhone: body["operatorPhone"]?.string)
    }

    public var body: JSONObject {
        var body: JSONObject = ["callId": .string(callId), "operatorId": .string(operatorId)]
        if let operatorPhone { body["operatorPhone"] = .string(operatorPhone) }
        return body
    }
}
