/// `RetryPolicy`: defaults, attempt counting, backoff per outcome, range checks and overflow safety.

import XCTest
import Shared
@testable import queue_daemon

final class RetryPolicyTests: XCTestCase {
    func testDefaults() {
        let p = RetryPolicy.standard
        XCTAssertEqual(p.maxAttempts, 3)
        XCTAssertEqual(p.backoffMillis(for: .busy), 900_000)
        XCTAssertEqual(p.backoffMillis(for: .noAnswer), 1_800_000)
        XCTAssertEqual(p.backoffMillis(for: .failed), 300_000)
        XCTAssertEqual(p.canceledDelayMillis, 300_000)
        XCTAssertEqual(try RetryPolicy(), p)
    }

    func testAttemptsCountUpThenGiveUp() {
        let p = RetryPolicy.standard
        XCTAssertEqual(p.decide(.busy, attemptsBefore: 0, now: 1000), .retry(attempts: 1, at: 901_000))
        XCTAssertEqual(p.decide(.noAnswer, attemptsBefore: 1, now: 1000), .retry(attempts: 2, at: 1_801_000))
        XCTAssertEqual(p.decide(.failed, attemptsBefore: 2, now: 1000), .giveUp(attempts: 3))
        XCTAssertEqual(p.decide(.failed, attemptsBefore: -4, now: 1000), .retry(attempts: 1, at: 301_000))
    }

    func testConfigurableValues() throws {
        let p = try RetryPolicy(maxAttempts: 5, busyBackoffMillis: 1, noAnswerBackoffMillis: 2, failedBackoffMillis: 0)
        XCTAssertEqual(p.decide(.busy, attemptsBefore: 3, now: 10), .retry(attempts: 4, at: 11))
        XCTAssertEqual(p.decide(.noAnswer, attemptsBefore: 0, now: 10), .retry(attempts: 1, at: 12))
        XCTAssertEqual(p.decide(.failed, attemptsBefore: 0, now: 10), .retry(attempts: 1, at: 10))
        XCTAssertEqual(p.decide(.busy, attemptsBefore: 4, now: 10), .giveUp(attempts: 5))
    }

    func testLimitsAreNamedAndEnforced() {
        XCTAssertThrowsError(try RetryPolicy(maxAttempts: 0)) { error in
            XCTAssertEqual((error as? DomainConfigError)?.name, "maxAttempts")
        }
        XCTAssertThrowsError(try RetryPolicy(maxAttempts: 101))
        XCTAssertThrowsError(try RetryPolicy(busyBackoffMillis: -1)) { error in
            XCTAssertEqual((error as? DomainConfigError)?.name, "busyBackoffMillis")
        }
        XCTAssertThrowsError(try RetryPolicy(noAnswerBackoffMillis: 604_800_001))
        XCTAssertThrowsError(try RetryPolicy(failedBackoffMillis: -5))
        XCTAssertThrowsError(try RetryPolicy(canceledDelayMillis: -5))
        XCTAssertNoThrow(try RetryPolicy(maxAttempts: 100, busyBackoffMillis: 604_800_000))
    }

    func testHugeNowSaturatesInsteadOfTrapping() {
        XCTAssertEqual(RetryPolicy.standard.decide(.busy, attemptsBefore: 0, now: Int64.max - 5),
                       .retry(attempts: 1, at: Int64.max))
    }

    func testOutcomeFromCallStatus() {
        XCTAssertEqual(UnsuccessfulOutcome(callStatus: .busy), .busy)
        XCTAssertEqual(UnsuccessfulOutcome(callStatus: .noAnswer), .noAnswer)
        XCTAssertEqual(UnsuccessfulOutcome(callStatus: .failed), .failed)
        for status in [CallStatus.initiated, .ringing, .answered, .completed, .canceled] {
            XCTAssertNil(UnsuccessfulOutcome(callStatus: status))
        }
        XCTAssertEqual(UnsuccessfulOutcome.noAnswer.rawValue, "no-answer")
    }
}
