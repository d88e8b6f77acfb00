import Shared
import XCTest
@testable import dialer_daemon

/// `dialer.provider_event` through `TwilioWebhookHandler`: a whole answered call (transfer time,
/// Twilio's duration), duplicates and out-of-order callbacks that change nothing, every final
/// status, unknown and ended calls, a webhook that overtakes the create answer, abandoned calls,
/// and the parsing of the command body.
final class TwilioWebhookTests: XCTestCase {
    var harness: TwilioHarness!

    override func setUpWithError() throws { harness = try TwilioHarness() }
    override func tearDown() { harness.tearDown() }

    private func status(_ result: Result<JSONObject, IPCError>) -> String? {
        (try? result.get())?["call"]?["status"]?.string
    }

    func testAnsweredCallIsTransferredAndCompletedWithTwiliosDuration() throws {
        let callId = harness.startAccepted(1)
        XCTAssertEqual(status(harness.webhook(1, "queued")), "initiated")
        XCTAssertEqual(status(harness.webhook(1, "initiated")), "initiated")
        XCTAssertEqual(status(harness.webhook(1, "ringing")), "ringing")
        harness.clock.advance(byMillis: 4_000)
        let answer = try harness.webhook(1, "in-progress", answer: true).get()
        XCTAssertEqual(answer["operatorPhone"]?.string, "+998907654321")
        XCTAssertEqual(answer["call"]?["status"]?.string, "answered")
        let answered = try XCTUnwrap(harness.stored(callId))
        XCTAssertEqual(answered.answerTime, harness.clock.nowMillis())
        XCTAssertEqual(answered.transferTime, harness.clock.nowMillis())
        XCTAssertNil(answered.endReason)
        XCTAssertEqual(status(harness.webhook(1, "in-progress")), "answered", "the answered status callback repeats it")
        harness.clock.advance(byMillis: 50_000)
        XCTAssertEqual(status(harness.webhook(1, "completed", duration: 42)), "completed")
        let ended = try XCTUnwrap(harness.stored(callId))
        XCTAssertEqual(ended.duration, 42, "Twilio's CallDuration wins over the local clock")
        XCTAssertEqual(ended.endReason, "provider")
        XCTAssertEqual(ended.transferTime, answered.transferTime)
        XCTAssertEqual(harness.published.map(\.1), ["initiated", "ringing", "answered", "completed"])
        XCTAssertEqual(harness.provider.activeCount, 0)
        XCTAssertNil(harness.manager.active[callId])
    }

    func testDuplicateAndOutOfOrderCallbacksNeverMoveBackwards() throws {
        let callId = harness.startAccepted(1)
        _ = harness.webhook(1, "in-progress", answer: true)
        XCTAssertEqual(status(harness.webhook(1, "ringing")), "answered", "ringing after the answer is stale")
        _ = harness.webhook(1, "completed", duration: 30)
        for late in ["ringing", "in-progress", "initiated", "busy"] {
            XCTAssertEqual(status(harness.webhook(1, late)), "completed", late)
        }
        XCTAssertEqual(status(harness.webhook(1, "completed", duration: 30)), "completed", "a retried callback")
        XCTAssertEqual(status(harness.webhook(1, "in-progress", answer: true)), "completed")
        XCTAssertEqual(harness.stored(callId)?.duration, 30)
        XCTAssertEqual(harness.published.map(\.1), ["initiated", "answered", "completed"])
    }

    func testCompletedWithoutDurationUsesTheAnswerTime() {
        let callId = harness.startAccepted(1)
        _ = harness.webhook(1, "in-progress", answer: true)
        harness.clock.advance(byMillis: 12_500)
        _ = harness.webhook(1, "completed")
        XCTAssertEqual(harness.stored(callId)?.duration, 12)
    }

    func testUnansweredFinalStatuses() throws {
        let finals: [(String, CallStatus)] = [("busy", .busy), ("no-answer", .noAnswer), ("canceled", .canceled),
                                              ("failed", .failed)]
        for (n, (twilioStatus, expected)) in finals.enumerated() {
            let callId = harness.startAccepted(n + 1)
            _ = harness.webhook(n + 1, "ringing")
            let extra: JSONObject = twilioStatus == "failed" ? ["errorCode": 31005, "errorMessage": "Connection error"] : [:]
            XCTAssertEqual(status(harness.webhook(n + 1, twilioStatus, extra: extra)), expected.rawValue)
            let call = try XCTUnwrap(harness.stored(callId))
            XCTAssertEqual(call.status, expected)
            XCTAssertNil(call.answerTime)
            XCTAssertEqual(call.duration, 0)
        }
        XCTAssertEqual(harness.stored(Fixture.callId(4))?.errorCode, "31005")
        XCTAssertEqual(harness.stored(Fixture.callId(4))?.errorMessage, "Connection error")
        XCTAssertEqual(harness.provider.activeCount, 0)
    }

    func testUnknownSidIsNotFound() {
        harness.startAccepted(1)
        guard case .failure(let error) = harness.webhook(9, "ringing") else { return XCTFail("expected 404") }
        XCTAssertEqual(error.status, 404)
        XCTAssertEqual(error.code, "call_not_found")
        XCTAssertEqual(error.error, "Call log not found")
    }

    func testWebhookForAnEndedCallChangesNothing() throws {
        let callId = harness.startAccepted(1)
        XCTAssertNoThrow(try harness.manager.hangup(callId: callId).get())
        XCTAssertTrue(harness.run { self.harness.provider.activeCount == 0 })
        XCTAssertEqual(status(harness.webhook(1, "ringing")), "canceled")
        let answer = try harness.webhook(1, "in-progress", answer: true).get()
        XCTAssertEqual(answer["operatorPhone"], .null, "nobody to connect: the TwiML hangs up")
        XCTAssertEqual(harness.stored(callId)?.status, .canceled)
    }

    func testWebhookThatOvertakesTheCreateAnswerWaitsForIt() {
        let callId = harness.start(1)
        XCTAssertTrue(harness.run { !self.harness.transport.pending.isEmpty })
        var result: Result<JSONObject, IPCError>?
        harness.handler.handle(IPCRequest(type: "dialer.provider_event", id: 1,
                                          body: ["callSid": .string(TwilioHarness.callSid(1)), "callStatus": "ringing"],
                                          peerRole: "gateway", connectionNumber: 1)) { result = $0 }
        XCTAssertNil(result, "parked while the create request is in flight")
        harness.transport.answer(0, with: TwilioHarness.created(1))
        XCTAssertTrue(harness.run { result != nil })
        XCTAssertEqual(status(result!), "ringing")
        XCTAssertEqual(harness.stored(callId)?.status, .ringing)
    }

    func testUnknownSidWhileCreatingIsNotFoundOnceTheCreateAnswers() {
        harness.start(1)
        XCTAssertTrue(harness.run { !self.harness.transport.pending.isEmpty })
        var result: Result<JSONObject, IPCError>?
        harness.handler.handle(IPCRequest(type: "dialer.provider_event", id: 1,
                                          body: ["callSid": .string(TwilioHarness.callSid(99)), "callStatus": "ringing"],
                                          peerRole: "gateway", connectionNumber: 1)) { result = $0 }
        harness.transport.answer(0, with: TwilioHarness.created(1))
        XCTAssertTrue(harness.run { result != nil })
        guard case .failure(let error)? = result else { return XCTFail("expected 404") }
        XCTAssertEqual(error.status, 404)
    }

    func testAnswerWithoutAnOperatorPhoneAbandonsTheCall() throws {
        let callId = harness.startAccepted(1, operatorPhone: nil)
        let answer = try harness.webhook(1, "in-progress", answer: true).get()
        XCTAssertEqual(answer["operatorPhone"], .null)
        var call = try XCTUnwrap(harness.stored(callId))
        XCTAssertEqual(call.status, .answered)
        XCTAssertNil(call.transferTime)
        XCTAssertEqual(call.endReason, TwilioLimits.abandonedEndReason)
        XCTAssertEqual(harness.logs(containing: "no operator phone").count, 1)
        _ = harness.webhook(1, "completed", duration: 6)
        call = try XCTUnwrap(harness.stored(callId))
        XCTAssertEqual(call.status, .abandoned, "issue 14: an answer nobody took ends abandoned")
        XCTAssertEqual(call.duration, 0, "the 6 s were the message, not a conversation")
        XCTAssertEqual(call.endReason, TwilioLimits.abandonedEndReason, "kept when the call ends")
        XCTAssertEqual(harness.provider.activeCount, 0)
    }

    func testUnknownStatusIsRefusedAndChangesNothing() {
        let callId = harness.startAccepted(1)
        guard case .failure(let error) = harness.webhook(1, "exploded") else { return XCTFail("expected 400") }
        XCTAssertEqual(error.status, 400)
        XCTAssertTrue(error.message.contains("in-progress"), error.message)
        XCTAssertEqual(harness.stored(callId)?.status, .initiated)
    }

    func testCommandBodyParsing() {
        let sid = TwilioHarness.callSid(1)
        let parsed = try? TwilioProviderEvent.parse(["callSid": .string(sid), "callStatus": "completed",
                                                     "callDuration": "17", "errorCode": 31005, "webhook": "answer",
                                                     "answeredBy": "human", "extra": true]).get()
        XCTAssertEqual(parsed?.callDuration, 17)
        XCTAssertEqual(parsed?.errorCode, "31005")
        XCTAssertEqual(parsed?.webhook, .answer)
        XCTAssertEqual(parsed?.answeredBy, "human")
        XCTAssertEqual(try? TwilioProviderEvent.parse(["callSid": .string(sid), "callStatus": "ringing"]).get().webhook, .status)
        let long = String(repeating: "x", count: TwilioLimits.maxEventTextLength + 50)
        XCTAssertEqual(try? TwilioProviderEvent.parse(["callSid": .string(sid), "callStatus": "failed",
                                                       "errorMessage": .string(long)]).get().errorMessage?.count,
                       TwilioLimits.maxEventTextLength)
        let bad: [JSONObject] = [
            ["callStatus": "ringing"], ["callSid": .string(sid)], ["callSid": "", "callStatus": "ringing"],
            ["callSid": .string(sid), "callStatus": "completed", "callDuration": "abc"],
            ["callSid": .string(sid), "callStatus": "completed", "callDuration": -1],
            ["callSid": .string(sid), "callStatus": "completed", "callDuration": 86_401],
            ["callSid": .string(sid), "callStatus": "ringing", "webhook": "other"],
            ["callSid": .string(String(repeating: "C", count: TwilioProviderEvent.maxSidLength + 1)), "callStatus": "ringing"],
            ["callSid": 5, "callStatus": "ringing"],
        ]
        for body in bad {
            guard case .failure(let error) = TwilioProviderEvent.parse(body) else { return XCTFail("accepted \(body)") }
            XCTAssertEqual(error.status, 400, "\(body)")
        }
    }
}
