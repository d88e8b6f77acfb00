import Shared
import XCTest
@testable import dialer_daemon

/// `TwilioAPI` (requests: URL, basic auth, form body with the repeated `StatusCallbackEvent`,
/// ring timeout, no recording or machine detection), form encoding, `TwilioAPIAnswer` parsing
/// (201 with a sid, Twilio's documented error JSON, non-JSON error pages), the status map table
/// and the rate limiter with an injected clock.
final class TwilioAPITests: XCTestCase {
    let api = TwilioAPI(settings: TwilioHarness.settings)

    private func fields(_ request: TwilioHTTPRequest) -> [(String, String)] {
        String(decoding: request.body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    func testCreateCallRequest() {
        let request = api.createCall(to: "+998901234567", from: "+15005550006")
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://twilio.test/2010-04-01/Accounts/\(TwilioHarness.sid)/Calls.json")
        XCTAssertEqual(request.headers["Authorization"],
                       "Basic " + Base64.encode(Array("\(TwilioHarness.sid):token-123".utf8)))
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded")
        let form = fields(request)
        XCTAssertEqual(form.map(\.0), ["To", "From", "Url", "Method", "StatusCallback", "StatusCallbackMethod",
                                       "StatusCallbackEvent", "StatusCallbackEvent", "StatusCallbackEvent",
                                       "StatusCallbackEvent", "Timeout"])
        let values = Dictionary(form, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(values["To"], "+998901234567")
        XCTAssertEqual(values["From"], "+15005550006")
        XCTAssertEqual(values["Url"], "https://calls.example.com/api/calls/webhook/answer")
        XCTAssertEqual(values["StatusCallback"], "https://calls.example.com/api/calls/webhook/status")
        XCTAssertEqual(values["StatusCallbackMethod"], "POST")
        XCTAssertEqual(form.filter { $0.0 == "StatusCallbackEvent" }.map(\.1), ["initiated", "ringing", "answered", "completed"])
        XCTAssertEqual(values["Timeout"], "30")
        XCTAssertNil(values["Record"], "calls are not recorded")
        XCTAssertNil(values["MachineDetection"])
        XCTAssertTrue(String(decoding: request.body, as: UTF8.self).hasPrefix("To=%2B998901234567&From=%2B15005550006&"))
    }

    func testEndAndFetchRequests() {
        let sid = TwilioHarness.callSid(7)
        let cancel = api.endCall(sid: sid, answered: false)
        XCTAssertEqual(cancel.url, "https://twilio.test/2010-04-01/Accounts/\(TwilioHarness.sid)/Calls/\(sid).json")
        XCTAssertEqual(String(decoding: cancel.body, as: UTF8.self), "Status=canceled")
        XCTAssertEqual(String(decoding: api.endCall(sid: sid, answered: true).body, as: UTF8.self), "Status=completed")
        let fetch = api.fetchCall(sid: sid)
        XCTAssertEqual(fetch.method, "GET")
        XCTAssertEqual(fetch.url, cancel.url)
        XCTAssertTrue(fetch.body.isEmpty)
    }

    func testFormEncoding() {
        let body = TwilioAPI.formEncode([("a b", "x+y/z:?&="), ("ü", "~-._"), ("empty", "")])
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "a%20b=x%2By%2Fz%3A%3F%26%3D&%C3%BC=~-._&empty=")
    }

    func testParseCreatedAndErrors() {
        let sid = TwilioHarness.callSid(1)
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 201, body: Array("{\"sid\":\"\(sid)\",\"status\":\"queued\"}".utf8)),
                       .call(sid: sid, status: "queued", duration: nil))
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 200, body: Array("{\"sid\":\"\(sid)\",\"status\":\"completed\",\"duration\":\"42\"}".utf8)),
                       .call(sid: sid, status: "completed", duration: 42))
        let invalid = #"{"code": 21211, "message": "The 'To' number +1555 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 400, body: Array(invalid.utf8)),
                       .error(code: "21211", message: "The 'To' number +1555 is not a valid phone number."))
        let auth = #"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 401, body: Array(auth.utf8)), .error(code: "20003", message: "Authenticate"))
        let limited = #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 429, body: Array(limited.utf8)),
                       .error(code: TwilioLimits.rateLimitErrorCode, message: "Too Many Requests"))
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 503, body: Array("<html>\nService Unavailable</html>".utf8)),
                       .error(code: "http_503", message: "Twilio answered HTTP 503: <html> Service Unavailable</html>"))
        XCTAssertEqual(TwilioAPIAnswer.parse(status: 502, body: []), .error(code: "http_502", message: "Twilio answered HTTP 502"))
        guard case .error(TwilioLimits.badResponseCode, _) = TwilioAPIAnswer.parse(status: 201, body: Array("{\"sid\":\"x\"}".utf8)) else {
            return XCTFail("a 201 without a valid sid is an error")
        }
    }

    func testCallSidFormat() {
        XCTAssertTrue(TwilioLimits.isCallSid(TwilioHarness.callSid(1)))
        XCTAssertTrue(TwilioLimits.isCallSid("CA" + String(repeating: "F", count: 32)))
        XCTAssertFalse(TwilioLimits.isCallSid("CA1234567890ABCDE"))
        XCTAssertFalse(TwilioLimits.isCallSid("AC" + String(repeating: "0", count: 32)))
        XCTAssertFalse(TwilioLimits.isCallSid("CA" + String(repeating: "g", count: 32)))
    }

    func testStatusMapTable() {
        let rows: [(String, CallProviderEvent?)] = [
            ("queued", nil), ("initiated", nil), ("ringing", .ringing), ("in-progress", .answered),
            ("completed", .completed(durationSeconds: 42)), ("busy", .busy), ("no-answer", .noAnswer),
            ("failed", .failed(code: "31005", message: "Connection error")), ("canceled", .canceled),
        ]
        for (status, expected) in rows {
            let mapped = TwilioStatusMap.event(status: status, callDuration: 42, fallbackDuration: 7,
                                               errorCode: "31005", errorMessage: "Connection error")
            XCTAssertEqual(try? mapped.get(), .some(expected), status)
        }
        XCTAssertEqual(rows.map(\.0), TwilioStatusMap.knownStatuses, "the table covers every documented status")
        XCTAssertEqual(try TwilioStatusMap.event(status: "completed", callDuration: nil, fallbackDuration: 7,
                                                 errorCode: nil, errorMessage: nil).get(), .completed(durationSeconds: 7))
        XCTAssertEqual(try TwilioStatusMap.event(status: "failed", callDuration: nil, fallbackDuration: 0,
                                                 errorCode: "", errorMessage: nil).get(),
                       .failed(code: TwilioLimits.providerFailedCode, message: "Twilio reported the call as failed"))
        for unknown in ["answered", "In-Progress", "", "exploded"] {
            guard case .failure = TwilioStatusMap.event(status: unknown, callDuration: nil, fallbackDuration: 0,
                                                        errorCode: nil, errorMessage: nil) else {
                return XCTFail("\(unknown) is not a Twilio call status")
            }
        }
    }

    func testRateLimiterWithInjectedClock() {
        var limiter = TwilioRateLimiter(callsPerSecond: 1)
        XCTAssertEqual(limiter.take(now: 100), 0, "the bucket starts full")
        XCTAssertEqual(limiter.take(now: 100), 1, accuracy: 1e-9, "the next token in one second")
        XCTAssertEqual(limiter.take(now: 100.25), 0.75, accuracy: 1e-9)
        XCTAssertEqual(limiter.take(now: 101), 0, "refilled")
        XCTAssertEqual(limiter.take(now: 99), 1, accuracy: 1e-9, "a clock going backwards stands still")
        XCTAssertEqual(limiter.take(now: 150), 0)
        XCTAssertEqual(limiter.take(now: 150), 1, accuracy: 1e-9, "a long pause does not bank more than the burst")

        var fast = TwilioRateLimiter(callsPerSecond: 5)
        XCTAssertEqual(fast.burst, 5)
        for _ in 0..<5 { XCTAssertEqual(fast.take(now: 0), 0) }
        XCTAssertEqual(fast.take(now: 0), 0.2, accuracy: 1e-9)
        XCTAssertEqual(fast.take(now: 0.2), 0)

        var slow = TwilioRateLimiter(callsPerSecond: 0.5)
        XCTAssertEqual(slow.burst, 1, "a rate below one still lets one call through")
        XCTAssertEqual(slow.take(now: 0), 0)
        XCTAssertEqual(slow.take(now: 1), 1, accuracy: 1e-9)
        XCTAssertEqual(slow.take(now: 2), 0)
    }

    func testRetryDelays() {
        let timing = TwilioTiming.standard
        XCTAssertEqual(timing.retryDelay(beforeAttempt: 2), 1)
        XCTAssertEqual(timing.retryDelay(beforeAttempt: 3), 2)
        XCTAssertEqual(timing.retryDelay(beforeAttempt: 4), 4)
        XCTAssertEqual(timing.retryDelay(beforeAttempt: 9), 4)
        XCTAssertEqual(TwilioLimits.maxCreateAttempts, 4)
        XCTAssertLessThan(timing.unknownSidWait, 1.5, "below the gateway's default IPC timeout")
    }
}
