import Foundation
import Shared
import XCTest
@testable import dialer_daemon

/// `TwilioProvider` with a scripted transport and a real `CallManager`: the create answer
/// (sid stored; Twilio errors fail the call with the code stored and logged), retries only when
/// nothing reached Twilio, no retry after an unknown outcome, the CPS queue, hangups in every
/// phase, the status check that replaces lost webhooks, and orphans ended at start-up.
final class TwilioProviderTests: XCTestCase {
    var harness: TwilioHarness!

    override func setUpWithError() throws { harness = try TwilioHarness() }
    override func tearDown() { harness.tearDown() }

    private func waitForRequests(_ count: Int) {
        XCTAssertTrue(harness.run { self.harness.transport.requests.count >= count }, "\(count) request(s) sent")
    }

    private func body(_ index: Int) -> String { String(decoding: harness.transport.requests[index].body, as: UTF8.self) }

    func testCreatedStoresTheSidWithoutAStatusChange() {
        let callId = harness.startAccepted(1)
        XCTAssertEqual(harness.stored(callId)?.status, .initiated)
        XCTAssertEqual(harness.published.map(\.1), ["initiated"], "the sid alone publishes nothing")
        XCTAssertEqual(harness.provider.activeCount, 1)
    }

    func testTwilioErrorsFailTheCallWithTheirCode() throws {
        let answers: [(Int, String, String)] = [
            (400, #"{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}"#, "21211"),
            (401, #"{"code":20003,"message":"Authenticate","status":401}"#, "20003"),
            (429, #"{"code":20429,"message":"Too Many Requests","status":429}"#, "20429"),
            (503, "<html>down</html>", "http_503"),
        ]
        for (n, (status, json, code)) in answers.enumerated() {
            let callId = harness.start(n + 1)
            waitForRequests(n + 1)
            harness.transport.answer(n, with: .response(status: status, body: Array(json.utf8)))
            XCTAssertTrue(harness.run { self.harness.stored(callId)?.status == .failed }, code)
            let call = try XCTUnwrap(harness.stored(callId))
            XCTAssertEqual(call.errorCode, code)
            XCTAssertFalse(call.errorMessage?.isEmpty ?? true)
            XCTAssertNil(call.twilioCallSid)
            XCTAssertEqual(call.endReason, "provider")
        }
        XCTAssertEqual(harness.transport.requests.count, answers.count, "errors are not retried")
        XCTAssertEqual(harness.provider.activeCount, 0)
        let logged = harness.logs(containing: "Twilio refused the call")
        XCTAssertEqual(logged.map { $0.field("TWILIO_ERROR_CODE") }, ["21211", "20003", "20429", "http_503"])
    }

    func testUnreachableTwilioIsRetriedUntilItAnswers() {
        let callId = harness.start(1)
        waitForRequests(1)
        harness.transport.answer(0, with: .notSent("Couldn't connect to server"))
        waitForRequests(2)
        XCTAssertEqual(harness.transport.requests[1], harness.transport.requests[0], "the same request again")
        harness.transport.answer(1, with: TwilioHarness.created(1))
        XCTAssertTrue(harness.run { self.harness.stored(callId)?.twilioCallSid == TwilioHarness.callSid(1) })
        XCTAssertEqual(harness.stored(callId)?.status, .initiated)
        XCTAssertEqual(harness.logs(containing: "nothing was sent, attempt 2").count, 1)
    }

    func testUnreachableTwilioFailsTheCallAfterTheLastAttempt() throws {
        let callId = harness.start(1)
        for attempt in 0..<TwilioLimits.maxCreateAttempts {
            waitForRequests(attempt + 1)
            harness.transport.answer(attempt, with: .notSent("Couldn't connect to server"))
        }
        XCTAssertTrue(harness.run { self.harness.stored(callId)?.status == .failed })
        let call = try XCTUnwrap(harness.stored(callId))
        XCTAssertEqual(call.errorCode, TwilioLimits.unreachableCode)
        XCTAssertTrue(call.errorMessage?.contains("after 4 attempts") ?? false, call.errorMessage ?? "")
        XCTAssertEqual(harness.transport.requests.count, TwilioLimits.maxCreateAttempts)
        XCTAssertEqual(harness.logs(containing: "Could not reach Twilio at").first?.level, .error)
    }

    func testNoAnswerAfterSendingIsNeverRetried() throws {
        let callId = harness.start(1)
        waitForRequests(1)
        harness.transport.answer(0, with: .unknownOutcome("The operation could not be completed (timed out)"))
        XCTAssertTrue(harness.run { self.harness.stored(callId)?.status == .failed })
        XCTAssertEqual(harness.stored(callId)?.errorCode, TwilioLimits.noAnswerFromTwilioCode)
        // The provider let the call go: no call, no sid waiter is left that could send again.
        XCTAssertTrue(harness.run { self.harness.provider.activeCount == 0 && self.harness.provider.sidWaiters.isEmpty })
        XCTAssertEqual(harness.transport.requests.count, 1, "a second call could ring the lead twice")
    }

    func testCallsWaitTheirTurnBehindTheCPSLimit() throws {
        harness.tearDown()
        var settings = TwilioHarness.settings
        settings.callsPerSecond = 10
        harness = try TwilioHarness(settings: settings)
        let phones = (1...12).map { String(format: "+9989012%05d", $0) }
        for (n, phone) in zip(1..., phones) { harness.start(n, to: phone) }
        XCTAssertEqual(harness.transport.requests.count, 10, "a full bucket lets ten through at once")
        waitForRequests(12)
        let sent = (0..<12).map { index in harness.transport.form(index).first { $0.0 == "To" }?.1 }
        XCTAssertEqual(sent, phones, "the waiting calls keep their order")
        XCTAssertEqual(harness.provider.activeCount, 12)
    }

    func testHangupWhileWaitingForASlotPlacesNothing() throws {
        harness.tearDown()
        var settings = TwilioHarness.settings
        settings.callsPerSecond = 1
        let frozen = 500.0
        harness = try TwilioHarness(settings: settings, now: { frozen })
        harness.start(1)
        let second = harness.start(2)
        XCTAssertEqual(harness.transport.requests.count, 1, "the second call waits for a token")
        XCTAssertNoThrow(try harness.manager.hangup(callId: second).get())
        XCTAssertTrue(harness.run { self.harness.provider.activeCount == 1 })
        XCTAssertEqual(harness.stored(second)?.status, .canceled)
        XCTAssertEqual(harness.transport.requests.count, 1, "nothing was sent for the canceled call")
    }

    func testHangupWhileCreatingCancelsOnceTheSidIsKnown() {
        let callId = harness.start(1)
        waitForRequests(1)
        XCTAssertNoThrow(try harness.manager.hangup(callId: callId).get())
        XCTAssertEqual(harness.stored(callId)?.status, .canceled)
        harness.transport.answer(0, with: TwilioHarness.created(1))
        waitForRequests(2)
        XCTAssertTrue(harness.transport.requests[1].url.hasSuffix("/Calls/\(TwilioHarness.callSid(1)).json"))
        XCTAssertEqual(body(1), "Status=canceled")
        XCTAssertTrue(harness.run { self.harness.provider.activeCount == 0 })
    }

    func testHangupOfAnAnsweredCallCompletesIt() {
        let callId = harness.startAccepted(1)
        _ = harness.webhook(1, "in-progress", answer: true)
        XCTAssertNoThrow(try harness.manager.hangup(callId: callId).get())
        waitForRequests(2)
        XCTAssertEqual(body(1), "Status=completed")
        XCTAssertEqual(harness.stored(callId)?.status, .completed)
        XCTAssertEqual(harness.stored(callId)?.endReason, "hangup")
    }

    func testCancelThatRacedTheAnswerIsFollowedByCompleted() {
        let callId = harness.startAccepted(1)
        XCTAssertNoThrow(try harness.manager.hangup(callId: callId).get())
        waitForRequests(2)
        XCTAssertEqual(body(1), "Status=canceled")
        let inProgress = "{\"sid\":\"\(TwilioHarness.callSid(1))\",\"status\":\"in-progress\"}"
        harness.transport.answer(1, with: .response(status: 200, body: Array(inProgress.utf8)))
        waitForRequests(3)
        XCTAssertEqual(body(2), "Status=completed")
    }

    func testLostWebhooksAreReplacedByAStatusCheck() throws {
        harness.tearDown()
        var settings = TwilioHarness.settings
        settings.ringTimeoutSeconds = 0
        harness = try TwilioHarness(settings: settings, timing: TwilioTiming(
            connectRetryDelays: [0.01], unknownSidWait: 0.1, statusGraceSeconds: 0.02, answeredCheckSeconds: 0.02))
        let callId = harness.startAccepted(1)
        waitForRequests(2)
        XCTAssertEqual(harness.transport.requests[1].method, "GET")
        let ringing = "{\"sid\":\"\(TwilioHarness.callSid(1))\",\"status\":\"ringing\"}"
        harness.transport.answer(1, with: .response(status: 200, body: Array(ringing.utf8)))
        XCTAssertTrue(harness.run { self.harness.stored(callId)?.status == .ringing })
        waitForRequests(3)
        let completed = "{\"sid\":\"\(TwilioHarness.callSid(1))\",\"status\":\"completed\",\"duration\":\"42\"}"
        harness.transport.answer(2, with: .response(status: 200, body: Array(completed.utf8)))
        XCTAssertTrue(harness.run { self.harness.stored(callId)?.status == .completed })
        XCTAssertEqual(harness.stored(callId)?.duration, 42)
        XCTAssertEqual(harness.provider.activeCount, 0, "the call's status-check timer goes with it")
        XCTAssertTrue(harness.provider.sidWaiters.isEmpty)
        XCTAssertEqual(harness.transport.requests.count, 3, "no checks after the end")
    }

    /// Issue 10: a restarted dialer asks Twilio for the real status of every call it had in flight
    /// before it ends any: a call still going on stays live (and answered), one that ended meanwhile
    /// gets its real outcome instead of `failed` (restart).
    func testRestartAdoptsCallsTwilioAcceptedAndAsksForTheirRealStatus() throws {
        let talking = harness.startAccepted(1)
        _ = harness.webhook(1, "in-progress", answer: true)
        XCTAssertTrue(harness.run { self.harness.stored(talking)?.status == .answered })
        let ended = harness.startAccepted(2)
        let unsent = harness.start(3)  // the create request never got its answer: no sid
        XCTAssertNil(harness.stored(unsent)?.twilioCallSid)

        // The process dies; a new one starts on the same database with a new provider.
        let transport = ScriptedTwilioTransport()
        let logger = Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .capture(harness.capture))
        let provider = TwilioProvider(settings: TwilioHarness.settings, loop: harness.loop, logger: logger,
                                      transport: transport, timing: TwilioTiming(connectRetryDelays: [0.01],
                                      unknownSidWait: 0.1, statusGraceSeconds: 600, answeredCheckSeconds: 600))
        let selection = ProviderSelection(provider: provider, twilio: provider, callerId: TwilioHarness.settings.from)
        let manager = CallManager(store: CallStore(db: harness.db), provider: provider, clock: harness.clock,
                                  logger: logger, loop: harness.loop, callerId: TwilioHarness.settings.from,
                                  retryInterval: 0.01)
        let recovered = try manager.recoverAfterRestart(adopt: selection.adoptsAfterRestart)
        XCTAssertEqual(recovered.ended.map(\.id), [unsent])
        XCTAssertEqual(Set(recovered.adopted.map(\.id)), [talking, ended])
        selection.attach(to: DialerCommands(manager: manager), manager: manager, recovered: recovered.ended,
                         adopted: recovered.adopted, logger: logger)
        XCTAssertEqual(harness.stored(talking)?.status, .answered, "nothing ended before Twilio answered")
        XCTAssertTrue(harness.run { transport.requests.filter { $0.method == "GET" }.count == 2 })
        for (index, request) in transport.requests.enumerated() where request.method == "GET" {
            let sid = request.url.contains(TwilioHarness.callSid(1)) ? TwilioHarness.callSid(1) : TwilioHarness.callSid(2)
            let status = sid == TwilioHarness.callSid(1) ? "in-progress" : "completed\",\"duration\":\"37"
            transport.answer(index, with: .response(status: 200, body: Array("{\"sid\":\"\(sid)\",\"status\":\"\(status)\"}".utf8)))
        }
        XCTAssertTrue(harness.run { self.harness.stored(ended)?.status == .completed })
        XCTAssertEqual(harness.stored(ended)?.duration, 37)
        XCTAssertEqual(harness.stored(talking)?.status, .answered)
        XCTAssertNotNil(manager.active[talking], "the conversation goes on, followed as a live call")
        XCTAssertEqual(harness.stored(unsent)?.endReason, "restart")
    }

    func testOrphansLeftByACrashAreEndedAtTwilio() {
        let orphan = CallRecord(id: Fixture.callId(5), leadId: Fixture.lead(5), operatorId: nil, mode: .automatic,
                                status: .failed, from: "+15005550006", to: "+998901234567", startTime: 1, createdAt: 1,
                                updatedAt: 1)
        var answered = orphan
        answered.twilioCallSid = TwilioHarness.callSid(5)
        answered.answerTime = 2
        var ringing = orphan
        ringing.twilioCallSid = TwilioHarness.callSid(6)
        harness.provider.endOrphans([orphan, answered, ringing])
        XCTAssertEqual(harness.transport.requests.count, 2, "only calls Twilio accepted")
        XCTAssertEqual(body(0), "Status=completed")
        XCTAssertEqual(body(1), "Status=canceled")
    }
}
