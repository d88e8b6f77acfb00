import XCTest
import Shared
@testable import api_gateway

/// `DispositionInput` (issue 12): which call-update fields become a `queue.set_disposition` body,
/// and which are refused with 400 before anything is sent.
final class DispositionInputTests: XCTestCase {
    let allowed = Dispositions.defaults

    private func status(_ object: JSONObject) -> Int? {
        do {
            _ = try DispositionInput.fields(object, allowed: allowed)
            return nil
        } catch {
            return (error as? HTTPError)?.status
        }
    }

    func testFieldsAndRefusals() throws {
        XCTAssertNil(try DispositionInput.fields(["notes": "x"], allowed: allowed))
        XCTAssertNil(try DispositionInput.fields(["disposition": .null, "callbackAt": .null], allowed: allowed))
        XCTAssertEqual(try DispositionInput.fields(["disposition": "sale"], allowed: allowed), DispositionInput.Choice(disposition: "sale"))
        let booked = try DispositionInput.fields(["disposition": "callback", "callbackAt": "2026-01-15T10:30:00Z"],
                                                 allowed: allowed)
        XCTAssertEqual(booked?.callbackAt, (Timestamp.parseISO8601("2026-01-15T10:30:00Z")!))
        let refused: [(JSONObject, UInt)] = [
            (["disposition": "sold"], #line),
            (["disposition": 3], #line),
            (["disposition": "callback"], #line),
            (["disposition": "callback", "callbackAt": "tomorrow"], #line),
            // A malformed call-back time is refused even without a disposition (schemathesis found it ignored).
            (["callbackAt": "AAA"], #line),
            (["callbackAt": 5, "notes": "x"], #line),
        ]
        for (object, line) in refused {
            XCTAssertEqual(status(object), 400, "\(object)", line: line)
        }
    }
}
