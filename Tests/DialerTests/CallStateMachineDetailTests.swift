import Shared
import XCTest
@testable import dialer_daemon

/// Timestamps, durations, notes and value limits of `CallStateMachine`.
final class CallStateMachineDetailTests: XCTestCase {
    let t0 = CallFixtures.start

    private func apply(_ event: CallEvent, _ call: CallSnapshot, at now: Int64) -> CallTransition? {
        switch CallStateMachine.apply(event, to: call, now: now) {
        case .success(let t): return t
        case .failure(let e): XCTFail("unexpected \(e)"); return nil
        }
    }

    private func error(_ event: CallEvent, _ call: CallSnapshot) -> CallTransitionError? {
        if case .failure(let e) = CallStateMachine.apply(event, to: call, now: t0 + 1) { return e }
        XCTFail("expected an error for \(event)")
        return nil
    }

    func testHappyPathSetsTimestampsAndFlooredDuration() throws {
        var call = CallSnapshot.initiated(at: t0)
        call = try XCTUnwrap(apply(.ringing, call, at: t0 + 800)).next
        XCTAssertNil(call.answerTime)
        call = try XCTUnwrap(apply(.answered, call, at: t0 + 3_000)).next
        XCTAssertEqual(call.answerTime, t0 + 3_000)
        let done = try XCTUnwrap(apply(.completed(durationSeconds: nil), call, at: t0 + 3_000 + 61_999))
        XCTAssertEqual(done.next.status, .completed)
        XCTAssertEqual(done.next.endTime, t0 + 64_999)
        XCTAssertEqual(done.next.duration, 61, "floor of 61.999 s")
        XCTAssertEqual(done.next.endReason, "provider")
        XCTAssertEqual(done.next.startTime, t0)
    }

    func testExplicitDurationOverridesComputed() throws {
        let t = try XCTUnwrap(apply(.completed(durationSeconds: 7), CallFixtures.call(.answered), at: t0 + 100_000))
        XCTAssertEqual(t.next.duration, 7)
    }

    func testCompletedWithoutAnswerHasZeroDurationAndNoAnswerTime() throws {
        let t = try XCTUnwrap(apply(.completed(durationSeconds: nil), CallFixtures.call(.ringing), at: t0 + 9_000))
        XCTAssertEqual(t.next.duration, 0)
        XCTAssertNil(t.next.answerTime)
    }

    func testComputedDurationIsClampedToLimits() {
        XCTAssertEqual(CallStateMachine.computedDuration(answerTime: t0, endTime: t0 - 5_000), 0)
        XCTAssertEqual(CallStateMachine.computedDuration(answerTime: nil, endTime: t0), 0)
        XCTAssertEqual(CallStateMachine.computedDuration(answerTime: t0, endTime: t0 + 999), 0)
        XCTAssertEqual(CallStateMachine.computedDuration(answerTime: t0, endTime: t0 + 3 * 86_400_000),
                       CallLimits.maxDurationSeconds)
    }

    func testHangupAfterAnswerCompletesWithTalkTime() throws {
        var call = CallSnapshot.initiated(at: t0)
        call.status = .answered
        call.answerTime = t0 + 2_000
        let t = try XCTUnwrap(apply(.hangup, call, at: t0 + 47_500))
        XCTAssertEqual(t.next.status, .completed)
        XCTAssertEqual(t.next.duration, 45)
        XCTAssertEqual(t.next.endReason, "hangup")
    }

    func testHangupBeforeAnswerCancels() throws {
        let t = try XCTUnwrap(apply(.hangup, CallFixtures.call(.ringing), at: t0 + 1_000))
        XCTAssertEqual(t.next.status, .canceled)
        XCTAssertEqual(t.next.endReason, "hangup")
        XCTAssertEqual(t.next.duration, 0)
    }

    func testAnsweredTwiceKeepsFirstAnswerTime() throws {
        let t = try XCTUnwrap(apply(.answered, CallFixtures.call(.answered), at: t0 + 90_000))
        XCTAssertEqual(t.kind, .duplicate)
        XCTAssertEqual(t.next.answerTime, CallFixtures.answeredAt)
        XCTAssertFalse(t.changesRecord)
    }

    func testFailedStoresClippedErrorDetails() throws {
        let long = String(repeating: "x", count: 550)
        let code = String(repeating: "9", count: 65)
        let t = try XCTUnwrap(apply(.failed(code: code, message: long), CallFixtures.call(.initiated), at: t0 + 10))
        XCTAssertEqual(t.next.errorMessage?.count, 500)
        XCTAssertEqual(t.next.errorCode?.count, 64)
    }

    func testDuplicateFailedKeepsFirstErrorDetails() throws {
        let t = try XCTUnwrap(apply(.failed(code: "other", message: "other"), CallFixtures.call(.failed), at: t0))
        XCTAssertEqual(t.next.errorCode, "31005")
        XCTAssertEqual(t.next.errorMessage, "Connection error")
    }

    func testNotesLimitIsOneThousandUTF16Units() throws {
        let call = CallFixtures.call(.answered)
        let ok = String(repeating: "a", count: 1000)
        XCTAssertEqual(apply(.operatorUpdate(status: .answered, notes: ok, duration: nil), call, at: t0)?.next.notes, ok)
        let tooLong = String(repeating: "a", count: 1001)
        let e = error(.operatorUpdate(status: .answered, notes: tooLong, duration: nil), call)
        XCTAssertEqual(e?.code, .invalidValue)
        XCTAssertEqual(e?.httpStatus, 400)
        XCTAssertEqual(e?.message, "\"notes\" must be 0 to 1000 characters long", "the gateway's message (FieldRules.callNotes)")
        let emoji500 = String(repeating: "😀", count: 500)
        XCTAssertEqual(apply(.operatorUpdate(status: .answered, notes: emoji500, duration: nil), call, at: t0)?.next.notes, emoji500)
        // 500 emoji are 1000 UTF-16 units (as the original counted them); 501 are too many.
        let emoji = String(repeating: "😀", count: 501)
        XCTAssertEqual(error(.operatorUpdate(status: .answered, notes: emoji, duration: nil), call)?.code, .invalidValue)
    }

    func testNotesMayBeAddedToEndedCall() throws {
        let t = try XCTUnwrap(apply(.operatorUpdate(status: .noAnswer, notes: "left voicemail", duration: nil),
                                    CallFixtures.call(.noAnswer), at: t0))
        XCTAssertEqual(t.kind, .duplicate)
        XCTAssertTrue(t.changesRecord)
        XCTAssertFalse(t.isStatusChange)
        XCTAssertEqual(t.next.notes, "left voicemail")
        XCTAssertEqual(t.next.endTime, CallFixtures.endedAt)
    }

    func testDurationLimits() throws {
        let call = CallFixtures.call(.answered)
        XCTAssertEqual(apply(.operatorUpdate(status: .completed, notes: nil, duration: 86_400), call, at: t0)?.next.duration,
                       86_400)
        XCTAssertEqual(apply(.operatorUpdate(status: .completed, notes: nil, duration: 0), call, at: t0)?.next.duration, 0)
        XCTAssertEqual(error(.operatorUpdate(status: .completed, notes: nil, duration: 86_401), call)?.code, .invalidValue)
        XCTAssertEqual(error(.operatorUpdate(status: .completed, notes: nil, duration: -1), call)?.code, .invalidValue)
        XCTAssertEqual(error(.completed(durationSeconds: -1), call)?.code, .invalidValue)
        XCTAssertEqual(error(.completed(durationSeconds: 86_401), call)?.code, .invalidValue)
    }

    func testDurationOnlyForCompleted() throws {
        let call = CallFixtures.call(.ringing)
        XCTAssertEqual(error(.operatorUpdate(status: .busy, notes: nil, duration: 12), call)?.code, .invalidValue)
        XCTAssertEqual(apply(.operatorUpdate(status: .busy, notes: nil, duration: 0), call, at: t0)?.next.status, .busy)
    }

    /// Values are judged before the transition: a bad value on an ended call is 400, not 409.
    func testValuesCheckedBeforeTransition() {
        let e = error(.operatorUpdate(status: .busy, notes: String(repeating: "n", count: 1001), duration: nil),
                      CallFixtures.call(.completed))
        XCTAssertEqual(e?.code, .invalidValue)
    }

    func testOperatorRepeatingTheEndedStatusIsIdempotent() throws {
        let call = CallFixtures.call(.completed)
        let same = try XCTUnwrap(apply(.operatorUpdate(status: .completed, notes: "ok", duration: 60), call, at: t0))
        XCTAssertEqual(same.kind, .duplicate)
        // The operator's own figure and notes apply; the status and end time do not move.
        let other = try XCTUnwrap(apply(.operatorUpdate(status: .completed, notes: "Follow up", duration: 120), call, at: t0))
        XCTAssertEqual(other.kind, .duplicate)
        XCTAssertEqual(other.next.duration, 120)
        XCTAssertEqual(other.next.notes, "Follow up")
        XCTAssertEqual(other.next.endTime, call.endTime)
        XCTAssertEqual(other.next.endReason, call.endReason)
        // A different status on an ended call is still a conflict, and so is a provider's new duration.
        XCTAssertEqual(error(.operatorUpdate(status: .busy, notes: "x", duration: nil), call)?.code, .invalidTransition)
        XCTAssertEqual(error(.completed(durationSeconds: 30), call)?.code, .invalidTransition)
        let missed = CallFixtures.call(.noAnswer)
        XCTAssertEqual(error(.operatorUpdate(status: .completed, notes: "x", duration: 120), missed)?.code, .invalidTransition)
        XCTAssertEqual(try XCTUnwrap(apply(.operatorUpdate(status: .noAnswer, notes: "x", duration: nil), missed, at: t0)).kind,
                       .duplicate)
    }

    func testManualCallReportedAtTheEnd() throws {
        let t = try XCTUnwrap(apply(.operatorUpdate(status: .completed, notes: "Interested", duration: 184),
                                    CallSnapshot.initiated(at: t0), at: t0 + 200_000))
        XCTAssertEqual(t.next.status, .completed)
        XCTAssertEqual(t.next.duration, 184)
        XCTAssertEqual(t.next.endTime, t0 + 200_000)
        XCTAssertEqual(t.next.endReason, "operator")
        XCTAssertTrue(t.isStatusChange)
    }

    func testErrorCodesAndStatuses() {
        XCTAssertEqual(CallTransitionError.Code.invalidTransition.rawValue, "invalid_transition")
        XCTAssertEqual(CallTransitionError.Code.invalidValue.rawValue, "invalid_value")
        XCTAssertEqual(CallTransitionError(.invalidTransition, "x").httpStatus, 409)
        XCTAssertEqual(CallTransitionError(.invalidValue, "x").httpStatus, 400)
    }
}
