/// `dialer.start_call {callId, leadId, operatorId|null, to, mode, operatorPhone?}`: encoded by the
/// queue-daemon's dispatcher, decoded by the dialer-daemon (docs/ipc/dialer.md).
public struct StartCallBody: IPCBody, Equatable {
    public static var command: DialerCommand { .startCall }

    public var callId: String
    public var leadId: String
    public var operatorId: String?
    public var to: String
    public var mode: CallMode
    public var operatorPhone: String?

    public init(callId: String, leadId: String, operatorId: String?, to: String, mode: CallMode,
         operatorPhone: String? = nil) {
        self.callId = callId
        self.leadId = leadId
        self.operatorId = operatorId
        self.to = to
        self.mode = mode
        self.operatorPhone = operatorPhone
    }

    public init(body: JSONObject) throws {
        let modeText = try RequestFields.string(body, "mode")
        guard let mode = CallMode(rawValue: modeText) else {
            throw IPCError.validationFailed("mode must be one of: automatic, manual")
        }
        self.init(callId: try RequestFields.objectID(body, "callId"),
                  leadId: try RequestFields.objectID(body, "leadId"),
                  operatorId: try RequestFields.optionalObjectID(body, "operatorId"),
                  to: try RequestFields.phone(body, "to"),
                  mode: mode,
                  operatorPhone: try RequestFields.optionalPhone(body, "operatorPhone"))
    }

    public var body: JSONObject {
        var body: JSONObject = ["callId": .string(callId), "leadId": .string(leadId), "to": .string(to),
                                "mode": .string(mode.rawValue)]
        body["operatorId"] = JSON.from(operatorId)
        if let operatorPhone { body["operatorPhone"] = .string(operatorPhone) }
        return body
    }
}
