import XCTest
@testable import queue_daemon

/// Issue 14: the pacing model, table-driven (inputs → calls to place).
final class PacingModelTests: XCTestCase {
    /// Warm statistics: `answered` of `total` outcomes answered after 12 s; talk 165 s, wrap 20 s.
    static func stats(answered: Int = 30, total: Int = 100) -> PacingStatistics {
        var s = PacingStatistics(windowSize: 300, minSamples: 30)
        for i in 0..<total { s.recordOutcome(humanAnsweredAfterMillis: i < answered ? 12_000 : nil) }
        for _ in 0..<10 { s.recordTalk(millis: 165_000); s.recordWrapUp(millis: 20_000) }
        return s
    }

    static func input(_ mode: PacingMode = .predictive, free: Int = 10, busy: Int = 10, ringing: Int = 0,
                      waiting: Int = 0, active: Int? = nil, maxCalls: Int = 1000, stats: PacingStatistics = stats(),
                      rate30: Double? = nil, cap: Double = 0.03, minOperators: Int = 5, maxLines: Int = 3) -> PacingInputs {
        PacingInputs(mode: mode, freeOperators: free, busyOperators: busy, ringingCalls: ringing, waitingCalls: waiting,
                     activeCalls: active ?? (busy + ringing + waiting), maxConcurrentCalls: maxCalls, stats: stats,
                     abandonRate30Days: rate30, abandonRateToday: nil, maxAbandonRate: cap, minOperators: minOperators,
                     maxLinesPerOperator: maxLines, abandonWaitMillis: 2000)
    }

    func testTable() {
        let cold = PacingStatistics(windowSize: 300, minSamples: 30)
        let rows: [(String, PacingInputs, reserves: Bool, reason: PacingReason, calls: ClosedRange<Int>)] = [
            ("progressive: one per free operator", Self.input(.progressive), true, .progressiveMode, 10...10),
            ("progressive: free lines bound", Self.input(.progressive, active: 995), true, .progressiveMode, 5...5),
            ("small team is progressive", Self.input(free: 2, busy: 2), true, .smallTeam, 2...2),
            ("warming up is progressive", Self.input(stats: cold), true, .warmingUp, 10...10),
            ("cap reached is progressive", Self.input(rate30: 0.031), true, .capReached, 10...10),
            ("85 % of the cap is progressive", Self.input(rate30: 0.0256), true, .capReached, 10...10),
            ("cap exactly reached is progressive", Self.input(rate30: 0.03), true, .capReached, 10...10),
            ("predictive dials more than free operators", Self.input(), false, .predictive, 20...40),
            ("dial level bound: 3 x 20 operators - 10 active", Self.input(stats: Self.stats(answered: 1)), false, .predictive, 50...50),
            ("maxConcurrentCalls holds", Self.input(maxCalls: 15), false, .predictive, 5...5),
            ("ringing calls count", Self.input(ringing: 30), false, .predictive, 0...10),
            ("no free operator: only what frees up", Self.input(free: 0, busy: 6, ringing: 0), false, .predictive, 0...2),
            ("small team is inclusive: 5 operators", Self.input(free: 3, busy: 2), true, .smallTeam, 3...3),
        ]
        for (name, input, reserves, reason, calls) in rows {
            let d = PacingModel.decide(input)
            XCTAssertEqual(d.reservesOperators, reserves, name)
            XCTAssertEqual(d.reason, reason, name)
            XCTAssertTrue(calls.contains(d.calls), "\(name): \(d.calls) not in \(calls)")
        }
    }

    func testMoreCallsWhenAnswerRateFalls() {
        let high = PacingModel.decide(Self.input(stats: Self.stats(answered: 60))).calls
        let low = PacingModel.decide(Self.input(stats: Self.stats(answered: 20))).calls
        XCTAssertGreaterThan(low, high)
    }

    func testAllowedRateShrinksTowardsTheCap() {
        XCTAssertEqual(PacingModel.allowedRate(Self.input(rate30: nil)), 0.015, accuracy: 1e-12)
        XCTAssertEqual(PacingModel.allowedRate(Self.input(rate30: 0.01)), 0.015, accuracy: 1e-12)
        XCTAssertEqual(PacingModel.allowedRate(Self.input(rate30: 0.02025)), 0.0075, accuracy: 1e-12,
                       "half way from the target (1.5 %) to the fallback point (2.55 %)")
        XCTAssertEqual(PacingModel.allowedRate(Self.input(rate30: 0.0255)), 0)
        XCTAssertEqual(PacingModel.allowedRate(Self.input(rate30: 0.03)), 0)
        let calm = PacingModel.decide(Self.input(rate30: 0.0)).calls
        let near = PacingModel.decide(Self.input(rate30: 0.024)).calls
        XCTAssertLessThan(near, calm)
    }

    func testExpectedOverflowStaysWithinTheAllowedRate() {
        let input = Self.input()
        let d = PacingModel.decide(input)
        let p = input.stats.humanAnswerProbability!
        XCTAssertTrue(PacingModel.acceptable(calls: d.calls, p: p, input: input, q: PacingModel.freeUpProbability(input),
                                             allowed: PacingModel.allowedRate(input)))
        XCTAssertFalse(PacingModel.acceptable(calls: d.calls + 1, p: p, input: input,
                                              q: PacingModel.freeUpProbability(input), allowed: PacingModel.allowedRate(input)))
    }

    func testBinomialSupportSumsToOneAndMatchesTheMean() {
        for (n, p) in [(0, 0.3), (1, 0.5), (10, 0.3), (600, 0.3), (2000, 0.01), (50, 1.0)] {
            let b = Binomial(trials: n, probability: p)
            let support = b.support(epsilon: 1e-12)
            XCTAssertEqual(support.reduce(0) { $0 + $1.1 }, 1, accuracy: 1e-9)
            XCTAssertEqual(support.reduce(0) { $0 + Double($1.0) * $1.1 }, b.mean, accuracy: 1e-6 * max(1, b.mean))
            XCTAssertEqual(support.map(\.0), support.map(\.0).sorted())
        }
    }
}
