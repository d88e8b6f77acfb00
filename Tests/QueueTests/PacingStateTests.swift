import XCTest
@testable import queue_daemon

/// Issue 14: abandon-rate window, operator state transitions (wrap-up), machine/abandon retries.
final class PacingStateTests: XCTestCase {
    let day = AbandonRateWindow.millisPerDay

    func testAbandonWindowTodayAnd30Days() {
        var w = AbandonRateWindow()
        let now = 100 * day + 5000
        w.load([70: .init(answered: 100, abandoned: 10), 71: .init(answered: 100, abandoned: 1),
                99: .init(answered: 50, abandoned: 0)], now: now)
        XCTAssertEqual(w.window(now: now), .init(answered: 150, abandoned: 1), "day 70 is outside the 30 days")
        XCTAssertNil(w.rateToday(now: now))
        w.recordAnswered(at: now, now: now)
        w.recordAnswered(at: now, now: now)
        w.recordAbandoned(answeredAt: now, now: now)
        XCTAssertEqual(w.rateToday(now: now), 0.5)
        XCTAssertEqual(w.rateWindow(now: now)!, 2.0 / 152, accuracy: 1e-12)
        XCTAssertEqual(w.window(now: now + 30 * day), .init(), "everything rolled out")
        XCTAssertEqual(AbandonRateWindow.day(of: -1), -1)
    }

    func testOperatorTransitionsTable() {
        let free = OperatorState(id: "a", lastBusyAt: 0)
        var onCall = free; onCall.onCall = "c1"; onCall.lastBusyAt = 10
        var wrap = free; wrap.wrapUp = WrapUp(callId: "c1", until: 20 + 30_000); wrap.lastBusyAt = 20
        var submitted = onCall; submitted.submittedCall = "c1"
        var away = wrap; away.isAvailable = false
        let rows: [(String, OperatorState, OperatorEvent, Int64, OperatorActivity)] = [
            ("reserve", free, .callReserved("c1"), 10, .onCall),
            ("call ends: wrap-up", onCall, .callEnded("c1", wrapUpMillis: 30_000), 20, .wrapUp),
            ("call ends, wrap-up off", onCall, .callEnded("c1", wrapUpMillis: 0), 20, .available),
            ("other call ends: nothing", onCall, .callEnded("c2", wrapUpMillis: 30_000), 20, .onCall),
            ("outcome during the call", onCall, .outcomeSubmitted("c1"), 15, .onCall),
            ("ends after outcome: no wrap-up", submitted, .callEnded("c1", wrapUpMillis: 30_000), 20, .available),
            ("outcome ends wrap-up", wrap, .outcomeSubmitted("c1"), 25, .available),
            ("outcome of another call", wrap, .outcomeSubmitted("c9"), 25, .wrapUp),
            ("timeout not yet", wrap, .wrapUpExpired, 30_019, .wrapUp),
            ("timeout", wrap, .wrapUpExpired, 30_020, .available),
            ("wrap-up ends while unavailable", away, .wrapUpExpired, 30_020, .unavailable),
        ]
        for (name, state, event, now, expected) in rows {
            XCTAssertEqual(OperatorStates.apply(event, to: state, now: now).activity, expected, name)
        }
        XCTAssertFalse(wrap.isFree, "an operator in wrap-up gets no call")
    }

    func testPoolWrapUpDeadlines() {
        let pool = OperatorPool()
        pool.restore(OperatorState(id: "a"))
        XCTAssertTrue(pool.reserve("a", callId: "c1", at: 0))
        pool.release(callId: "c1", at: 100, wrapUpMillis: 500)
        XCTAssertEqual(pool.state(of: "a")?.activity, .wrapUp)
        XCTAssertNil(pool.pickLeastRecentlyBusy())
        XCTAssertEqual(pool.nextWrapUpDeadline, 600)
        XCTAssertEqual(pool.expiredWrapUps(now: 599), [])
        XCTAssertEqual(pool.expiredWrapUps(now: 600), ["a"])
        XCTAssertTrue(pool.apply(.wrapUpExpired, to: "a", at: 600))
        XCTAssertEqual(pool.pickLeastRecentlyBusy(), "a")
    }

    func testMachineAndAbandonedRetries() throws {
        let policy = RetryPolicy.standard
        XCTAssertEqual(policy.decide(.machine, attemptsBefore: 0, now: 0), .retry(attempts: 1, at: 3_600_000))
        XCTAssertEqual(policy.decide(.machine, attemptsBefore: 2, now: 0), .giveUp(attempts: 3))
        XCTAssertEqual(policy.decide(.abandoned, attemptsBefore: 2, now: 0), .retry(attempts: 2, at: 3_600_000),
                       "an abandoned call counts no attempt")
        XCTAssertEqual(UnsuccessfulOutcome(callStatus: .machine), .machine)
        XCTAssertEqual(UnsuccessfulOutcome(callStatus: .abandoned), .abandoned)
    }

    func testStatisticsWindow() {
        var s = PacingStatistics(windowSize: 4, minSamples: 3)
        XCTAssertFalse(s.isWarm)
        s.recordOutcome(humanAnsweredAfterMillis: 1000)
        s.recordOutcome(humanAnsweredAfterMillis: nil)
        s.recordOutcome(humanAnsweredAfterMillis: nil)
        XCTAssertFalse(s.isWarm, "no conversation measured yet")
        s.recordTalk(millis: 60_000)
        XCTAssertTrue(s.isWarm)
        XCTAssertEqual(s.humanAnswerProbability!, 1.0 / 3, accuracy: 1e-12)
        for _ in 0..<4 { s.recordOutcome(humanAnsweredAfterMillis: nil) }
        XCTAssertEqual(s.humanAnswerProbability, 0, "the window keeps only the newest 4")
        XCTAssertEqual(s.meanAnswerDelayMillis, 1000)
    }
}
