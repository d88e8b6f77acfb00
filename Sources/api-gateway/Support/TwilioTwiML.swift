/// The TwiML documents the webhooks answer with (twilio.com/docs/voice/twiml), built as text with
/// every inserted value XML-escaped (the earlier version inserted the phone raw):
/// - `connect`: a short sentence, then `<Dial callerId timeout><Number>operator</Number></Dial>`;
///   no `action`, so the call ends when the operator's leg ends;
/// - `apologizeAndHangUp`: the lead answered but nobody can take the call: a sentence, `<Hangup/>`;
/// - `empty`: `<Response/>`, the answer to status callbacks (Twilio ignores it).
public enum TwilioTwiML {
    public static let contentType = "text/xml; charset=utf-8"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    public static let connectingSentence = "Connecting you to our sales representative."
    public static let apologySentence = "Sorry, none of our representatives is available right now. "
        + "We will call you back soon. Goodbye."

    public static var empty: String { declaration + "<Response/>" }

    public static func connect(operatorPhone: String, callerId: String, timeoutSeconds: Int) -> String {
        declaration + "<Response><Say>\(escape(connectingSentence))</Say>"
            + "<Dial callerId=\"\(escape(callerId))\" timeout=\"\(timeoutSeconds)\">"
            + "<Number>\(escape(operatorPhone))</Number></Dial></Response>"
    }

    public static var apologizeAndHangUp: String { say(apologySentence) }

    /// Issue 14: `text` said, then hang up (the abandoned-call message).
    public static func say(_ text: String) -> String {
        declaration + "<Response><Say>\(escape(text))</Say><Hangup/></Response>"
    }

    /// Issue 14: hang up at once (an answering machine answered).
    public static var hangUp: String { declaration + "<Response><Hangup/></Response>" }

    /// Text safe inside elements and double- or single-quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even as references: drop them.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
