import Shared

/// The body of `dialer.provider_event` (docs/ipc/dialer.md): the facts of one verified Twilio
/// webhook, forwarded by the gateway. `{callSid, callStatus, callDuration?, answeredBy?,
/// errorCode?, errorMessage?, timestamp?, webhook?: "status"|"answer"}`; `callDuration` may be
/// an integer or a decimal string (Twilio sends form text), `errorCode` a string or an integer.
/// Unknown keys are ignored; a missing or malformed field is 400 `validation_failed`.
struct TwilioProviderEvent: Equatable {
    enum Webhook: String {
        /// `POST /api/calls/webhook/status`: apply the status.
        case status
        /// `POST /api/calls/webhook/answer`: apply the answer and decide the transfer.
        case answer
    }

    var callSid: String
    var callStatus: String
    var callDuration: Int?
    var answeredBy: String?
    var errorCode: String?
    var errorMessage: String?
    var timestamp: String?
    var webhook: Webhook

    /// Longest sid accepted (Twilio's are 34 characters).
    static let maxSidLength = 64

    static func parse(_ body: JSONObject) -> Result<TwilioProviderEvent, IPCError> {
        do {
            let sid = try RequestFields.string(body, "callSid")
            guard !sid.isEmpty, sid.utf8.count <= maxSidLength,
                  sid.utf8.allSatisfy({ (33...126).contains($0) }) else {
                throw DialerErrors.validation("callSid must be a Twilio call sid")
            }
            let webhookText = try RequestFields.optionalString(body, "webhook") ?? Webhook.status.rawValue
            guard let webhook = Webhook(rawValue: webhookText) else {
                throw DialerErrors.validation("webhook must be one of: status, answer")
            }
            return .success(TwilioProviderEvent(
                callSid: sid, callStatus: try RequestFields.string(body, "callStatus"),
                callDuration: try duration(body), answeredBy: try text(body, "answeredBy"),
                errorCode: try errorCode(body), errorMessage: try text(body, "errorMessage"),
                timestamp: try text(body, "timestamp"), webhook: webhook))
        } catch let error as IPCError {
            return .failure(error)
        } catch {
            return .failure(DialerErrors.validation("\(error)"))
        }
    }

    private static func duration(_ body: JSONObject) throws -> Int? {
        let value: Int?
        if case .string(let text)? = body["callDuration"] {
            guard let number = Int(text) else { throw DialerErrors.validation("callDuration must be an integer") }
            value = number
        } else {
            value = try RequestFields.optionalInt(body, "callDuration")
        }
        if let value, !(0...CallLimits.maxDurationSeconds).contains(value) {
            throw DialerErrors.validation("callDuration must be between 0 and \(CallLimits.maxDurationSeconds) seconds")
        }
        return value
    }

    private static func errorCode(_ body: JSONObject) throws -> String? {
        if case .int(let number)? = body["errorCode"] { return String(number) }
        return try text(body, "errorCode")
    }

    /// An optional string, cut to `TwilioLimits.maxEventTextLength` characters; empty means absent.
    private static func text(_ body: JSONObject, _ key: String) throws -> String? {
        guard let value = try RequestFields.optionalString(body, key), !value.isEmpty else { return nil }
        return value.utf8.count <= TwilioLimits.maxEventTextLength
            ? value : String(value.prefix(TwilioLimits.maxEventTextLength))
    }
}
