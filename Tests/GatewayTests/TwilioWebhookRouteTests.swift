import Foundation
import XCTest
@testable import api_gateway
import Shared
@testable import Shared

/// The webhook routes through the real pipeline with a fake dialer-daemon on the IPC socket:
/// every refusal (not configured, 415, 403 unsigned/bad signature/replay, 400) forwards nothing;
/// signed callbacks reach the dialer as `dialer.provider_event` and get TwiML back (the dial to
/// the operator, escaped; the apology and hang-up; empty for status); dialer errors pass through;
/// the rate limit does not count webhooks.
final class TwilioWebhookRouteTests: XCTestCase {
    static let token = "twilio-token-0123456789abcdef"
    static let publicURL = "https://calls.example.com"
    static let env = ["IBRAT_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "IBRAT_TWILIO_AUTH_TOKEN": token,
                      "IBRAT_TWILIO_FROM": "+15005550006", "IBRAT_PUBLIC_URL": publicURL, "IBRAT_TWILIO_RING_TIMEOUT": "25"]
    static let sid = "CA0123456789abcdef0123456789abcdef"

    var harness: GatewayHarness!
    var server: IPCServer?
    var received: [JSONObject] = []
    /// The fake dialer's answer to the next `dialer.provider_event`.
    var answer: (JSONObject) -> Result<JSONObject, IPCError> = { _ in .success(["call": ["status": "ringing"]]) }

    override func setUpWithError() throws {
        try makeHarness(env: Self.env)
    }

    override func tearDown() {
        server?.stop()
        server = nil
        harness = nil
    }

    private func makeHarness(env: [String: String], dialer: Bool = true) throws {
        server?.stop()
        // With a fake dialer up, give it the production-like timeout: the harness's 200 ms (chosen
        // to test 503s quickly) was missed on a busy host and turned a forwarded webhook into a 503.
        harness = try GatewayHarness(env: dialer ? env.merging(["IBRAT_IPC_TIMEOUT_MS": "2000"]) { $1 } : env)
        guard dialer else { return }
        let fd = try Socket.listenUnix(path: harness.config.dialerSocketPath)
        let server = try IPCServer(loop: harness.loop, listenFD: fd, role: "dialer", allowedPeers: ["gateway"]) { _ in }
        server.onCommand("dialer.provider_event") { [unowned self] request, reply in
            received.append(request.body)
            reply(answer(request.body))
        }
        self.server = server
        harness.ctx.dialer.start()
        XCTAssertTrue(harness.loop.run(until: { self.harness.ctx.dialer.isConnected }, timeout: 3))
    }

    private func post(_ path: String, _ params: [(String, String)], signature: String? = nil, sign: Bool = true,
                      contentType: String = "application/x-www-form-urlencoded", rawBody: [UInt8]? = nil) -> HTTPResponse {
        let body = rawBody ?? Array(params.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&").utf8)
        var headers = [("Content-Type", contentType)]
        let computed = TwilioSignature.compute(authToken: Self.token, url: Self.publicURL + path, params: params)
        if let header = signature ?? (sign ? computed : nil) { headers.append(("X-Twilio-Signature", header)) }
        return harness.send("POST", path, headers: headers, rawBody: body)
    }

    private func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    private func status(_ callStatus: String, extra: [(String, String)] = []) -> [(String, String)] {
        [("AccountSid", "AC0123456789abcdef0123456789abcdef"), ("CallSid", Self.sid), ("CallStatus", callStatus),
         ("From", "+15005550006"), ("To", "+998901234567")] + extra
    }

    private var text: (HTTPResponse) -> String { { String(decoding: $0.body, as: UTF8.self) } }

    func testSignedStatusCallbackIsForwardedAndAnsweredWithEmptyTwiML() {
        let response = post(TwilioWebhookRoutes.statusPath, status("completed", extra: [
            ("CallDuration", "42"), ("Timestamp", "Mon, 15 Jan 2024 10:30:49 +0000"), ("SequenceNumber", "3")]))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/xml; charset=utf-8")
        XCTAssertEqual(text(response), TwilioTwiML.empty)
        XCTAssertEqual(received, [["callSid": .string(Self.sid), "callStatus": "completed", "callDuration": "42",
                                   "timestamp": "Mon, 15 Jan 2024 10:30:49 +0000", "webhook": "status"]])
    }

    func testRefusalsForwardNothing() {
        let path = TwilioWebhookRoutes.statusPath
        XCTAssertEqual(post(path, status("ringing"), sign: false).status, 403, "unsigned")
        XCTAssertEqual(post(path, status("ringing"), signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=").status, 403, "wrongly signed")
        let forged = TwilioSignature.compute(authToken: "other-token", url: Self.publicURL + path, params: status("ringing"))
        XCTAssertEqual(post(path, status("ringing"), signature: forged).status, 403, "signed with another token")
        let httpURL = TwilioSignature.compute(authToken: Self.token, url: "http://calls.example.com" + path, params: status("ringing"))
        XCTAssertEqual(post(path, status("ringing"), signature: httpURL).status, 403, "signed for another URL")
        let tampered = TwilioSignature.compute(authToken: Self.token, url: Self.publicURL + path, params: status("ringing"))
        XCTAssertEqual(post(path, status("completed"), signature: tampered).status, 403, "a changed status")
        let json = post(path, status("ringing"), contentType: "application/json")
        XCTAssertEqual(json.status, 415)
        XCTAssertEqual(json.errorText, "Unsupported Media Type")
        let malformed = post(path, status("ringing"), rawBody: Array("CallSid=%zz".utf8))
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(malformed.errorText, "Malformed form body")
        let noStatus = post(path, [("CallSid", Self.sid)])
        XCTAssertEqual(noStatus.status, 400)
        XCTAssertEqual(noStatus.messageText, "CallStatus is required")
        XCTAssertTrue(received.isEmpty, "nothing reached the dialer")
        XCTAssertGreaterThanOrEqual(harness.logs.lines.filter { $0.contains("Twilio webhook refused") }.count, 5)
    }

    func testExactReplayOfAnAppliedRequestIs403ButARefusedOneMayComeAgain() {
        let path = TwilioWebhookRoutes.statusPath
        XCTAssertEqual(post(path, status("ringing")).status, 200)
        let replay = post(path, status("ringing"))
        XCTAssertEqual(replay.status, 403)
        XCTAssertEqual(replay.messageText, "This Twilio request was already received")
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(post(path, status("in-progress")).status, 200, "another callback of the same call")

        answer = { _ in .failure(.notFound(code: .callNotFound, error: "Call log not found", message: "No call")) }
        let unknown = post(path, status("busy"))
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.errorText, "Call log not found")
        XCTAssertEqual(post(path, status("busy")).status, 404, "not applied, so a retry is forwarded again")
        XCTAssertEqual(received.count, 4)
    }

    func testAnswerDialsTheOperatorsPhoneEscaped() {
        answer = { _ in .success(["call": ["status": "answered"], "operatorPhone": "+998907654321<&>"]) }
        let response = post(TwilioWebhookRoutes.answerPath + "?attempt=1", status("in-progress"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "text/xml; charset=utf-8")
        XCTAssertEqual(text(response), TwilioTwiML.connect(operatorPhone: "+998907654321<&>", callerId: "+15005550006",
                                                           timeoutSeconds: 25))
        XCTAssertTrue(text(response).contains("<Number>+998907654321&lt;&amp;&gt;</Number>"))
        XCTAssertEqual(received.first?["webhook"], "answer")
        XCTAssertEqual(received.first?["callStatus"], "in-progress")
    }

    func testAnswerWithoutOperatorSaysSorryAndHangsUp() {
        answer = { _ in .success(["call": ["status": "answered"], "operatorPhone": .null]) }
        let response = post(TwilioWebhookRoutes.answerPath, [("CallSid", Self.sid)])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(text(response), TwilioTwiML.say(PacingConfig().abandonMessage), "issue 14: company name, call-back")
        XCTAssertEqual(received.first?["callStatus"], "in-progress", "the answer webhook implies the answer")
    }

    func testDialerDownIs503AndTheRetryIsWelcome() throws {
        try makeHarness(env: Self.env, dialer: false)
        harness.ctx.dialer.start()
        let response = post(TwilioWebhookRoutes.statusPath, status("ringing"))
        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(post(TwilioWebhookRoutes.statusPath, status("ringing")).status, 503, "not a replay: never applied")
    }

    func testNotConfiguredIs404() throws {
        try makeHarness(env: [:])
        let response = post(TwilioWebhookRoutes.statusPath, status("ringing"))
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.messageText, "Twilio is not configured")
        XCTAssertTrue(received.isEmpty)
    }

    func testWebhooksAreNotRateLimited() throws {
        var env = Self.env
        env["IBRAT_RATE_LIMIT"] = "2/60"
        try makeHarness(env: env)
        for n in 0..<5 {
            XCTAssertEqual(post(TwilioWebhookRoutes.statusPath, status("ringing", extra: [("SequenceNumber", String(n))])).status, 200)
        }
        XCTAssertTrue(GatewayPipeline.isRateLimitExempt(TwilioWebhookRoutes.answerPath))
        XCTAssertFalse(GatewayPipeline.isRateLimitExempt("/api/calls"))
    }

    func testBodyLimitAndOtherMethods() {
        for path in [TwilioWebhookRoutes.statusPath, TwilioWebhookRoutes.answerPath] {
            let head = HTTPRequestHead(method: "POST", target: path, version: .http11, headers: [:], framing: .length(10))
            XCTAssertEqual(harness.router.bodyLimit(for: head), TwilioWebhookRoutes.bodyLimit, "the server answers 413 beyond")
        }
        XCTAssertEqual(harness.send("GET", TwilioWebhookRoutes.statusPath).status, 405)
        XCTAssertTrue(received.isEmpty)
    }
}
