import Shared
import XCTest

/// `BusyBackoff`: the sleeps before each retry of a locked database, from a table, and the
/// timeout bounding their sum.
final class BusyBackoffTests: XCTestCase {
    func testSleepsDoubleFromFiftyMicrosecondsToOneMillisecond() {
        let rows: [(attempt: Int, sleep: Int64?, waited: Int64)] = [
            (0, 50, 0), (1, 100, 50), (2, 200, 150), (3, 400, 350), (4, 800, 750),
            (5, 1_000, 1_550), (6, 1_000, 2_550), (100, 1_000, 96_550),
        ]
        for row in rows {
            XCTAssertEqual(BusyBackoff.sleepMicros(attempt: row.attempt, timeoutMillis: 5_000), row.sleep, "try \(row.attempt)")
            XCTAssertEqual(BusyBackoff.waitedMicros(before: row.attempt), row.waited, "try \(row.attempt)")
        }
    }

    func testTheSleepsStopAtTheTimeout() {
        XCTAssertNil(BusyBackoff.sleepMicros(attempt: 0, timeoutMillis: 0))
        XCTAssertEqual(BusyBackoff.sleepMicros(attempt: 5_003, timeoutMillis: 5_000), 1_000)  // 4,999.55 ms waited
        XCTAssertNil(BusyBackoff.sleepMicros(attempt: 5_004, timeoutMillis: 5_000))           // 5,000.55 ms waited
    }
}
