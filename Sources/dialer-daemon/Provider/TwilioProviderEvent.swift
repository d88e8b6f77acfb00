import Shared

/// `dialer.provider_event` checked (docs/ipc/dialer.md): the facts of one verified Twilio
/// webhook as the dialer applies them, from the decoded `ProviderEventBody`: the sid a Twilio
/// call sid, `callDuration` an integer 0…86400 (Twilio sends form text), texts cut to
/// `TwilioLimits.maxEventTextLength`, empty texts absent. A malformed field is 400 `validation_failed`.
struct TwilioProviderEvent: Equatable {
    typealias Webhook = ProviderEventBody.Webhook

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

    /// Decodes and checks a raw body (tests, and the handler's `IPCRequest` entry).
    static func parse(_ body: JSONObject) -> Result<TwilioProviderEvent, IPCError> {
        do {
            return parse(try ProviderEventBody(body: body))
        } catch {
            return .failure(error as? IPCError ?? DialerErrors.validation("\(error)"))
        }
    }

    static func parse(_ body: ProviderEventBody) -> Result<TwilioProviderEvent, IPCError> {
        do {
            let sid = body.callSid
            guard !sid.isEmpty, sid.utf8.count <= maxSidLength,
                  sid.utf8.allSatisfy({ (33...126).contains($0) }) else {
                throw DialerErrors.validation("callSid must be a Twilio call sid")
            }
            return .success(TwilioProviderEvent(
                callSid: sid, callStatus: body.callStatus,
                callDuration: try duration(body.callDuration), answeredBy: text(body.answeredBy),
                errorCode: text(body.errorCode), errorMessage: text(body.errorMessage),
                timestamp: text(body.timestamp), webhook: body.webhook))
        } catch let error as IPCError {
            return .failure(error)
        } catch {
            return .failure(DialerErrors.validation("\(error)"))
        }
    }

    private static func duration(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw DialerErrors.validation("callDuration must be an integer") }
        guard (0...CallLimits.maxDurationSeconds).contains(value) else {
            throw DialerErrors.validation("callDuration must be between 0 and \(CallLimits.maxDurationSeconds) seconds")
        }
        return value
    }

    /// An optional text, cut to `TwilioLimits.maxEventTextLength` characters; empty means absent.
    private static func text(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value.utf8.count <= TwilioLimits.maxEventTextLength
            ? value : String(value.prefix(TwilioLimits.maxEventTextLength))
    }
}
