import XCTest
@testable import api_gateway
import Shared

/// `GET /health` reuses its bytes within one millisecond only: a new wall-clock millisecond or a
/// new uptime millisecond gives a new answer, the same bytes `.json` of the three fields would.
final class HealthAnswerTests: XCTestCase {
    func testTheAnswerIsReusedWithinOneMillisecondOnly() {
        let last = HealthRoutes.LastAnswer()
        let first = last.response(nowMillis: 1_700_000_000_000, uptimeMillis: 1500)
        XCTAssertEqual(first.body, HTTPResponse.json(200, .object(["status": "OK", "timestamp": .string(Timestamp.iso8601(millis: 1_700_000_000_000)),
                                                                   "uptime": .double(1.5)])).body)
        XCTAssertEqual(last.response(nowMillis: 1_700_000_000_000, uptimeMillis: 1500).body, first.body)
        let later = last.response(nowMillis: 1_700_000_000_001, uptimeMillis: 1500)
        XCTAssertEqual(later.json["timestamp"]?.string, Timestamp.iso8601(millis: 1_700_000_000_001))
        XCTAssertEqual(last.response(nowMillis: 1_700_000_000_001, uptimeMillis: 1501).json["uptime"]?.double, 1.501)
        XCTAssertEqual(first.headers["Content-Type"], "application/json; charset=utf-8")
    }
}
