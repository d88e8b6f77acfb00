import Shared

/// Twilio's REST API as the dialer uses it, pure: builds the requests (create a call, end a
/// call, fetch a call) with basic auth and form-encoded bodies, and reads Twilio's JSON answers
/// into `TwilioAPIAnswer`. No IO here; `TwilioTransport` sends what this builds.
struct TwilioAPI {
    let settings: TwilioSettings

    /// The status callback events requested (the four Twilio defines for voice calls).
    static let statusCallbackEvents = ["initiated", "ringing", "answered", "completed"]

    var callsURL: String {
        "\(settings.apiBase)/\(TwilioLimits.apiVersion)/Accounts/\(settings.accountSid)/Calls.json"
    }

    func callURL(sid: String) -> String {
        "\(settings.apiBase)/\(TwilioLimits.apiVersion)/Accounts/\(settings.accountSid)/Calls/\(sid).json"
    }

    /// `Authorization: Basic base64(sid:token)`.
    var authorization: String {
        "Basic " + Base64.encode(Array("\(settings.accountSid):\(settings.authToken)".utf8))
    }

    /// `POST …/Calls.json`: the lead `to`, the answer URL (TwiML that dials the operator), the
    /// status callback with its four events, the ring timeout, and (issue 14, on by default)
    /// `MachineDetection=Enable`: Twilio then asks the answer URL only once it knows who answered
    /// and sends `AnsweredBy` with it. No recording.
    func createCall(to: String, from: String, machineDetection: Bool = false) -> TwilioHTTPRequest {
        var fields: [(String, String)] = [
            ("To", to), ("From", from), ("Url", settings.answerURL), ("Method", "POST"),
            ("StatusCallback", settings.statusCallbackURL), ("StatusCallbackMethod", "POST"),
        ]
        for event in Self.statusCallbackEvents { fields.append(("StatusCallbackEvent", event)) }
        fields.append(("Timeout", String(settings.ringTimeoutSeconds)))
        if machineDetection { fields.append(("MachineDetection", "Enable")) }
        return post(callsURL, fields)
    }

    /// `POST …/Calls/{sid}.json` with `Status=canceled` (not answered yet) or `completed`.
    func endCall(sid: String, answered: Bool) -> TwilioHTTPRequest {
        post(callURL(sid: sid), [("Status", answered ? "completed" : "canceled")])
    }

    /// `GET …/Calls/{sid}.json` (reconciliation when webhooks were lost).
    func fetchCall(sid: String) -> TwilioHTTPRequest {
        TwilioHTTPRequest(method: "GET", url: callURL(sid: sid),
                          headers: ["Authorization": authorization, "Accept": "application/json"], body: [])
    }

    private func post(_ url: String, _ fields: [(String, String)]) -> TwilioHTTPRequest {
        TwilioHTTPRequest(method: "POST", url: url,
                          headers: ["Authorization": authorization, "Accept": "application/json",
                                    "Content-Type": "application/x-www-form-urlencoded"],
                          body: Self.formEncode(fields))
    }

    /// `application/x-www-form-urlencoded`: unreserved characters as they are, everything else
    /// (spaces too) percent-encoded byte by byte in UTF-8, pairs joined by "&".
    static func formEncode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            percentEncode(key, into: &out)
            out.append(UInt8(ascii: "="))
            percentEncode(value, into: &out)
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func percentEncode(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
    }
}

/// What a Twilio REST answer says.
enum TwilioAPIAnswer: Equatable {
    /// A call resource: its sid, Twilio's status (`queued`, `ringing`, `in-progress`, …) and
    /// duration in seconds (REST gives it as text; nil until the call ended).
    case call(sid: String, status: String?, duration: Int?)
    /// An error answer: Twilio's numeric code as text (e.g. "21211"), or `http_<status>` when the
    /// body was not Twilio's JSON, and its message.
    case error(code: String, message: String)

    /// Reads an HTTP answer. A 2xx without a valid call sid is an error (`twilio_bad_response`).
    static func parse(status: Int, body: [UInt8]) -> TwilioAPIAnswer {
        let object = body.count <= TwilioLimits.maxResponseBytes ? (try? JSON.parse(body))?.object : nil
        if (200...299).contains(status) {
            guard let sid = object?["sid"]?.string, TwilioLimits.isCallSid(sid) else {
                return .error(code: TwilioLimits.badResponseCode,
                              message: "Twilio answered HTTP \(status) without a valid call sid")
            }
            let duration = object?["duration"]?.string.flatMap { Int($0) } ?? object?["duration"]?.int.map { Int($0) }
            return .call(sid: sid, status: object?["status"]?.string, duration: duration)
        }
        var code = "http_\(status)"
        if let number = object?["code"]?.int {
            code = String(number)
        } else if let text = object?["code"]?.string, !text.isEmpty {
            code = text
        }
        let message = object?["message"]?.string ?? "Twilio answered HTTP \(status)" + snippet(body)
        return .error(code: code, message: message)
    }

    /// The start of a non-JSON body (an HTML error page from a proxy), printable ASCII only.
    private static func snippet(_ body: [UInt8]) -> String {
        let printable = body.prefix(120).map { (32...126).contains($0) ? $0 : UInt8(ascii: " ") }
        let text = String(decoding: printable, as: UTF8.self).trimmingSpaces
        return text.isEmpty ? "" : ": " + text
    }
}

private extension String {
    var trimmingSpaces: String {
        var sub = Substring(self)
        while sub.first == " " { sub.removeFirst() }
        while sub.last == " " { sub.removeLast() }
        return String(sub)
    }
}
