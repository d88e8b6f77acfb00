import Shared
import XCTest
@testable import dialer_daemon

/// `SimulationProfile` validation and `CallSimulator` plans: reproducibility, ranges, distribution.
final class CallSimulatorTests: XCTestCase {

    private func plans(seed: UInt64, count: Int, profile: SimulationProfile = .standard) -> [SimulatedCallPlan] {
        var random = SeededRandom(seed: seed)
        let simulator = CallSimulator(profile: profile)
        return (0..<count).map { _ in simulator.plan(using: &random) }
    }

    func testSameSeedSameSequence() {
        let a = plans(seed: 42, count: 200)
        XCTAssertEqual(a, plans(seed: 42, count: 200))
        XCTAssertNotEqual(a, plans(seed: 43, count: 200))
        XCTAssertEqual(Set(a.map(\.sid)).count, 200, "sids are unique")
    }

    func testSidIsCAAnd32LowercaseHex() {
        let hex = Set("0123456789abcdef")
        for plan in plans(seed: 7, count: 100) {
            XCTAssertEqual(plan.sid.count, 34)
            XCTAssertTrue(plan.sid.hasPrefix("CA"))
            XCTAssertTrue(plan.sid.dropFirst(2).allSatisfy { hex.contains($0) }, plan.sid)
        }
        var zero = ZeroRandom()
        XCTAssertEqual(CallSimulator.makeSid(using: &zero), "CA" + String(repeating: "0", count: 32))
    }

    func testOutcomeFrequenciesMatchProfile() throws {
        let profile = try SimulationProfile(answered: 0.5, busy: 0.2, noAnswer: 0.2, failed: 0.1)
        let all = plans(seed: 2024, count: 10_000, profile: profile)
        for outcome in SimulatedOutcome.allCases {
            let share = Double(all.filter { $0.outcome == outcome }.count) / 10_000
            XCTAssertEqual(share, profile.probability(of: outcome), accuracy: 0.02, "\(outcome)")
        }
    }

    func testDelaysAndTalkTimeStayInScaledRanges() throws {
        let profile = try SimulationProfile.standard.scaled(by: 0.01)
        for plan in plans(seed: 99, count: 2_000, profile: profile) {
            XCTAssertTrue((0.005...0.02).contains(plan.ringAfter), "\(plan.ringAfter)")
            switch plan.outcome {
            case .answered, .machine:
                XCTAssertTrue((0.03...0.2).contains(plan.outcomeAfter))
                XCTAssertTrue((30...300).contains(plan.talkSeconds))
                XCTAssertEqual(plan.talkAfter, Double(plan.talkSeconds) * 0.01, accuracy: 1e-12)
            case .noAnswer:
                XCTAssertTrue((0.03...0.2).contains(plan.outcomeAfter))
                XCTAssertEqual(plan.talkSeconds, 0)
            case .busy, .failed:
                XCTAssertTrue((0.005...0.03).contains(plan.outcomeAfter))
                XCTAssertEqual(plan.talkSeconds, 0)
                XCTAssertEqual(plan.talkAfter, 0)
            }
        }
    }

    func testCertainOutcome() throws {
        let profile = try SimulationProfile(answered: 0, busy: 1, noAnswer: 0, failed: 0)
        XCTAssertTrue(plans(seed: 1, count: 500, profile: profile).allSatisfy { $0.outcome == .busy })
    }

    func testOutcomeBoundaries() throws {
        let simulator = CallSimulator(profile: .standard)
        XCTAssertEqual(simulator.drawOutcome(0), .answered)
        XCTAssertEqual(simulator.drawOutcome(0.5999), .answered)
        XCTAssertEqual(simulator.drawOutcome(0.6), .busy)
        XCTAssertEqual(simulator.drawOutcome(0.8), .noAnswer)
        XCTAssertEqual(simulator.drawOutcome(0.95), .failed)
        // A sum a hair below 1 (within tolerance) never yields an outcome with probability 0.
        let short = CallSimulator(profile: try SimulationProfile(answered: 0.5, busy: 0, noAnswer: 0.4999999, failed: 0))
        XCTAssertEqual(short.drawOutcome(0.9999999999), .noAnswer)
    }

    func testStandardProfileIsTheDocumentedDefault() throws {
        XCTAssertEqual(SimulationProfile.standard,
                       try SimulationProfile(answered: 0.6, busy: 0.15, noAnswer: 0.15, failed: 0.1))
        XCTAssertEqual(try SimulationProfile.standard.scaled(by: 0.5).timeScale, 0.5)
    }

    func testInvalidProfilesAreRejected() {
        func rejects(_ make: @autoclosure () throws -> SimulationProfile, _ text: String, line: UInt = #line) {
            XCTAssertThrowsError(try make(), line: line) { error in
                XCTAssertTrue("\(error)".contains(text), "\(error)", line: line)
            }
        }
        rejects(try SimulationProfile(answered: 0.5, busy: 0.2, noAnswer: 0.2, failed: 0.2), "sum to 1")
        rejects(try SimulationProfile(answered: 1.2, busy: -0.2, noAnswer: 0, failed: 0), "between 0 and 1")
        rejects(try SimulationProfile(answered: .nan, busy: 0, noAnswer: 0, failed: 1), "answered")
        rejects(try SimulationProfile.standard.scaled(by: 0), "time scale")
        rejects(try SimulationProfile.standard.scaled(by: SimulationLimits.maxTimeScale * 2), "time scale")
        rejects(try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0, ringSeconds: 3...601), "ring")
        rejects(try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0, talkSeconds: 0...86_401), "talk")
        rejects(try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0, setupSeconds: -1...1), "setup")
    }

    func testLimits() throws {
        XCTAssertEqual(SimulationLimits.probabilityTolerance, 1e-6)
        XCTAssertEqual(SimulationLimits.maxRingSeconds, 600)
        XCTAssertNoThrow(try SimulationProfile(answered: 0.1, busy: 0.2, noAnswer: 0.3, failed: 0.4 + 5e-7))
        XCTAssertNoThrow(try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0, ringSeconds: 0...600,
                                               talkSeconds: 0...86_400, timeScale: SimulationLimits.minTimeScale))
    }
}

/// A generator that always returns 0.
private struct ZeroRandom: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}

final class CallSimulatorSidTests: XCTestCase {
    /// A dialer restarted with the same IBRAT_SIM_SEED replays the same draws; sids must still differ
    /// per call (calls.twilio_call_sid is UNIQUE), and stay reproducible for a given call id.
    func testSidIsBoundToTheCallId() {
        var a = SeededRandom(seed: 42)
        let drawn = CallSimulator.makeSid(using: &a)
        let one = CallSimulator.sid(forCallId: "6b0b9fdee5006520d39a5b26", drawn: drawn)
        let two = CallSimulator.sid(forCallId: "6b0b9fdee5006520d39a5b27", drawn: drawn)
        XCTAssertNotEqual(one, two)
        XCTAssertEqual(one, CallSimulator.sid(forCallId: "6b0b9fdee5006520d39a5b26", drawn: drawn))
        XCTAssertEqual(one.count, 34)
        XCTAssertTrue(one.hasPrefix("CA"))
        XCTAssertTrue(one.dropFirst(2).allSatisfy { "0123456789abcdef".contains($0) })
    }
}
