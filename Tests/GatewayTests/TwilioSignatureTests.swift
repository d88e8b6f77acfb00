import Foundation
import XCTest
@testable import api_gateway
@testable import Shared

/// `TwilioSignature` against Twilio's published example (twilio.com/docs/usage/security), and
/// what must make it fail; `FormURLEncoded` decoding; TwiML escaping; `TwilioReplayGuard`.
final class TwilioSignatureTests: XCTestCase {
    /// The worked example of Twilio's security documentation.
    static let exampleURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let exampleToken = "12345"
    static let exampleParams = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675310"), ("Digits", "1234"),
                                ("From", "+14158675310"), ("To", "+18005551212")]
    static let exampleSignature = "GvWf1cFY/Q7PnoempGyD5oXAezc="

    func testTwiliosPublishedExample() {
        XCTAssertEqual(TwilioSignature.compute(authToken: Self.exampleToken, url: Self.exampleURL, params: Self.exampleParams),
                       Self.exampleSignature)
        XCTAssertTrue(TwilioSignature.isValid(Self.exampleSignature, authToken: Self.exampleToken, url: Self.exampleURL,
                                              params: Self.exampleParams.reversed()), "order of the body does not matter")
    }

    func testAnythingChangedFailsTheCheck() {
        let valid: (String?, String, String, [(String, String)]) -> Bool = { TwilioSignature.isValid($0, authToken: $1, url: $2, params: $3) }
        let sig = Self.exampleSignature, token = Self.exampleToken, url = Self.exampleURL, params = Self.exampleParams
        XCTAssertFalse(valid(sig, "12346", url, params), "another token")
        XCTAssertFalse(valid(sig, token, url.replacingOccurrences(of: "https", with: "http"), params), "another scheme")
        XCTAssertFalse(valid(sig, token, "https://mycompany.com/myapp.php?foo=1&bar=3", params), "another query")
        XCTAssertFalse(valid(sig, token, url, params.map { ($0.0, $0.0 == "Digits" ? "9999" : $0.1) }), "a changed value")
        XCTAssertFalse(valid(sig, token, url, params + [("CallStatus", "completed")]), "an added parameter")
        XCTAssertFalse(valid(sig, token, url, Array(params.dropLast())), "a removed parameter")
        XCTAssertFalse(valid(nil, token, url, params))
        XCTAssertFalse(valid("", token, url, params))
        XCTAssertFalse(valid(String(sig.dropLast()), token, url, params))
        XCTAssertFalse(valid(sig.lowercased(), token, url, params))
        XCTAssertFalse(valid(String(repeating: "A", count: TwilioSignature.maxHeaderLength + 1), token, url, params))
    }

    func testRepeatedNamesAreSortedByValue() {
        let a = TwilioSignature.signedBytes(url: "u", params: [("B", "2"), ("A", "y"), ("A", "x")])
        XCTAssertEqual(String(decoding: a, as: UTF8.self), "uAxAyB2")
        let b = TwilioSignature.signedBytes(url: "u", params: [("a", "1"), ("B", "1"), ("ä", "1")])
        XCTAssertEqual(String(decoding: b, as: UTF8.self), "uB1a1ä1", "byte order: upper case before lower, ASCII before UTF-8")
    }

    func testFullURLUsesThePublicURLAndTheTargetAsSent() throws {
        let request = try HTTPRequest(method: "POST", target: "/api/calls/webhook/status?x=a%20b")
        XCTAssertEqual(TwilioSignature.fullURL(publicURL: "https://calls.example.com", request: request),
                       "https://calls.example.com/api/calls/webhook/status?x=a%20b")
    }

    func testFormDecoding() throws {
        let body = Array("CallSid=CA1&From=%2B998+90&Empty=&&Flag&Msg=a%C3%BCb%0A".utf8)
        let pairs = try FormURLEncoded.decode(body)
        XCTAssertEqual(pairs.map(\.0), ["CallSid", "From", "Empty", "Flag", "Msg"])
        XCTAssertEqual(pairs.map(\.1), ["CA1", "+998 90", "", "", "aüb\n"])
        XCTAssertTrue(try FormURLEncoded.decode([]).isEmpty)
        XCTAssertEqual(try FormURLEncoded.decode(Array("a=b=c".utf8)).first?.1, "b=c")
        let bad: [(String, FormURLEncoded.DecodeError)] = [
            ("a=%zz", .malformedEscape(pair: 1)), ("a=1&b=%4", .malformedEscape(pair: 2)), ("a=%", .malformedEscape(pair: 1)),
            ("a=%FF", .invalidUTF8(pair: 1)), ("a=%00", .controlCharacter(pair: 1)), ("=x", .emptyName(pair: 1)),
        ]
        for (text, expected) in bad {
            XCTAssertThrowsError(try FormURLEncoded.decode(Array(text.utf8)), text) {
                XCTAssertEqual($0 as? FormURLEncoded.DecodeError, expected, text)
            }
        }
        let many = (0...FormURLEncoded.maxPairs).map { "k\($0)=v" }.joined(separator: "&")
        XCTAssertThrowsError(try FormURLEncoded.decode(Array(many.utf8))) {
            XCTAssertEqual($0 as? FormURLEncoded.DecodeError, .tooManyPairs)
        }
        let exactly = (1...FormURLEncoded.maxPairs).map { "k\($0)=v" }.joined(separator: "&")
        XCTAssertEqual(try FormURLEncoded.decode(Array(exactly.utf8)).count, FormURLEncoded.maxPairs)
    }

    func testFormContentType() {
        XCTAssertTrue(FormURLEncoded.isFormContentType("application/x-www-form-urlencoded"))
        XCTAssertTrue(FormURLEncoded.isFormContentType("Application/X-WWW-Form-Urlencoded; charset=utf-8"))
        XCTAssertFalse(FormURLEncoded.isFormContentType("application/json"))
        XCTAssertFalse(FormURLEncoded.isFormContentType("multipart/form-data; boundary=x"))
        XCTAssertFalse(FormURLEncoded.isFormContentType(nil))
    }

    func testTwiMLEscapingAndDocuments() {
        XCTAssertEqual(TwilioTwiML.escape("a&b<c>d\"e'f\u{01}g"), "a&amp;b&lt;c&gt;d&quot;e&apos;fg")
        let dial = TwilioTwiML.connect(operatorPhone: "+998</Number><Hangup/>", callerId: "+1\"5", timeoutSeconds: 25)
        XCTAssertEqual(dial, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Connecting you to our sales "
                       + "representative.</Say><Dial callerId=\"+1&quot;5\" timeout=\"25\"><Number>+998&lt;/Number&gt;"
                       + "&lt;Hangup/&gt;</Number></Dial></Response>")
        XCTAssertTrue(TwilioTwiML.apologizeAndHangUp.hasSuffix("</Say><Hangup/></Response>"))
        XCTAssertEqual(TwilioTwiML.empty, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>")
    }

    func testReplayGuardWindowForgetAndCapacity() {
        let clock = ManualWallClock(now: 1_000_000)
        let guardian = TwilioReplayGuard(clock: clock, windowMillis: 1000, maxEntries: 3)
        XCTAssertTrue(guardian.admit("a"))
        XCTAssertFalse(guardian.admit("a"), "an exact repeat is a replay")
        guardian.forget("a")
        XCTAssertTrue(guardian.admit("a"), "a request that was not applied may come again")
        clock.advance(byMillis: 999)
        XCTAssertFalse(guardian.admit("a"))
        clock.advance(byMillis: 1)
        XCTAssertTrue(guardian.admit("a"), "outside the window")
        for name in ["b", "c", "d"] { XCTAssertTrue(guardian.admit(name)) }
        XCTAssertEqual(guardian.count, 3, "the oldest is dropped past the capacity")
        XCTAssertTrue(guardian.admit("a"))
    }

    /// The defaults: a repeat within 15 minutes is a replay, one at 15 minutes is not; 50,000
    /// requests are remembered, the 50,001st drops the oldest.
    func testReplayGuardDefaults() {
        let clock = ManualWallClock(now: 1_000_000)
        let guardian = TwilioReplayGuard(clock: clock)
        XCTAssertTrue(guardian.admit("first"))
        clock.advance(byMillis: 15 * 60 * 1000 - 1)
        XCTAssertFalse(guardian.admit("first"))
        clock.advance(byMillis: 1)
        XCTAssertTrue(guardian.admit("first"))
        for n in 1..<50_000 { XCTAssertTrue(guardian.admit("r\(n)")) }
        XCTAssertEqual(guardian.count, 50_000)
        XCTAssertTrue(guardian.admit("one more"))
        XCTAssertEqual(guardian.count, 50_000)
        XCTAssertTrue(guardian.admit("first"), "the oldest was forgotten")
    }
}
