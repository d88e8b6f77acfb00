/// `dialer.provider_event {callSid, callStatus, callDuration?, answeredBy?, errorCode?,
/// errorMessage?, timestamp?, webhook?}`: the facts of one Twilio webhook whose signature the
/// gateway verified (`TwilioWebhookRoutes`), decoded by the dialer (docs/ipc/dialer.md). The texts
/// are Twilio's form values as sent; `callDuration` and `errorCode` may also come as integers (kept
/// here as their text). `webhook` defaults to `status`. The dialer's `TwilioProviderEvent` checks
/// the values (sid shape, duration range, text lengths).
public struct ProviderEventBody: IPCBody, Equatable {
    public static var command: DialerCommand { .providerEvent }

    public enum Webhook: String, Sendable {
        /// `POST /api/calls/webhook/status`: apply the status.
        case status
        /// `POST /api/calls/webhook/answer`: apply the answer and decide the transfer.
        case answer
    }

    public var callSid: String
    public var callStatus: String
    public var callDuration: String?
    public var answeredBy: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var timestamp: String?
    public var webhook: Webhook

    public init(callSid: String, callStatus: String, callDuration: String? = nil, answeredBy: String? = nil,
                errorCode: String? = nil, errorMessage: String? = nil, timestamp: String? = nil,
                webhook: Webhook = .status) {
        self.callSid = callSid
        self.callStatus = callStatus
        self.callDuration = callDuration
        self.answeredBy = answeredBy
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.timestamp = timestamp
        self.webhook = webhook
    }

    public init(body: JSONObject) throws {
        let sid = try RequestFields.string(body, "callSid")
        let webhookText = try RequestFields.optionalString(body, "webhook") ?? Webhook.status.rawValue
        guard let webhook = Webhook(rawValue: webhookText) else {
            throw IPCError.validationFailed("webhook must be one of: status, answer")
        }
        let duration: String?
        if case .string(let text)? = body["callDuration"] {
            duration = text
        } else {
            duration = try RequestFields.optionalInt(body, "callDuration").map(String.init)
        }
        let errorCode: String?
        if case .int(let number)? = body["errorCode"] {
            errorCode = String(number)
        } else {
            errorCode = try RequestFields.optionalString(body, "errorCode")
        }
        self.init(callSid: sid, callStatus: try RequestFields.string(body, "callStatus"), callDuration: duration,
                  answeredBy: try RequestFields.optionalString(body, "answeredBy"), errorCode: errorCode,
                  errorMessage: try RequestFields.optionalString(body, "errorMessage"),
                  timestamp: try RequestFields.optionalString(body, "timestamp"), webhook: webhook)
    }

    public var body: JSONObject {
        var body = JSONObject([("callSid", .string(callSid)), ("callStatus", .string(callStatus))])
        body["callDuration"] = callDuration.map(JSON.string)
        body["answeredBy"] = answeredBy.map(JSON.string)
        body["errorCode"] = errorCode.map(JSON.string)
        body["errorMessage"] = errorMessage.map(JSON.string)
        body["timestamp"] = timestamp.map(JSON.string)
        body["webhook"] = .string(webhook.rawValue)
        return body
    }
}
