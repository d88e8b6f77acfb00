import Shared
import XCTest
@testable import dialer_daemon

/// Every call status × every status an operator/admin may report, written out row by row.
/// Each report carries notes, which apply whenever the report is not refused.
final class CallStateMachineOperatorTableTests: XCTestCase {
    static func op(_ status: CallStatus) -> CallEvent {
        .operatorUpdate(status: status, notes: "Customer asked for a callback", duration: nil)
    }

    static let rows: [TransitionRow] = [
        // initiated
        TransitionRow(.initiated, op(.initiated), .duplicate),
        TransitionRow(.initiated, op(.ringing), .advanced(.ringing)),
        TransitionRow(.initiated, op(.answered), .advanced(.answered)),
        TransitionRow(.initiated, op(.completed), .advanced(.completed)),
        TransitionRow(.initiated, op(.busy), .advanced(.busy)),
        TransitionRow(.initiated, op(.noAnswer), .advanced(.noAnswer)),
        TransitionRow(.initiated, op(.failed), .advanced(.failed)),
        TransitionRow(.initiated, op(.canceled), .advanced(.canceled)),
        // ringing
        TransitionRow(.ringing, op(.initiated), .stale),
        TransitionRow(.ringing, op(.ringing), .duplicate),
        TransitionRow(.ringing, op(.answered), .advanced(.answered)),
        TransitionRow(.ringing, op(.completed), .advanced(.completed)),
        TransitionRow(.ringing, op(.busy), .advanced(.busy)),
        TransitionRow(.ringing, op(.noAnswer), .advanced(.noAnswer)),
        TransitionRow(.ringing, op(.failed), .advanced(.failed)),
        TransitionRow(.ringing, op(.canceled), .advanced(.canceled)),
        // answered
        TransitionRow(.answered, op(.initiated), .stale),
        TransitionRow(.answered, op(.ringing), .stale),
        TransitionRow(.answered, op(.answered), .duplicate),
        TransitionRow(.answered, op(.completed), .advanced(.completed)),
        TransitionRow(.answered, op(.busy), .invalid),
        TransitionRow(.answered, op(.noAnswer), .invalid),
        TransitionRow(.answered, op(.failed), .invalid),
        TransitionRow(.answered, op(.canceled), .invalid),
        // completed
        TransitionRow(.completed, op(.initiated), .stale),
        TransitionRow(.completed, op(.ringing), .stale),
        TransitionRow(.completed, op(.answered), .stale),
        TransitionRow(.completed, op(.completed), .duplicate),
        TransitionRow(.completed, op(.busy), .invalid),
        TransitionRow(.completed, op(.noAnswer), .invalid),
        TransitionRow(.completed, op(.failed), .invalid),
        TransitionRow(.completed, op(.canceled), .invalid),
        // busy
        TransitionRow(.busy, op(.initiated), .stale),
        TransitionRow(.busy, op(.ringing), .stale),
        TransitionRow(.busy, op(.answered), .stale),
        TransitionRow(.busy, op(.completed), .invalid),
        TransitionRow(.busy, op(.busy), .duplicate),
        TransitionRow(.busy, op(.noAnswer), .invalid),
        TransitionRow(.busy, op(.failed), .invalid),
        TransitionRow(.busy, op(.canceled), .invalid),
        // noAnswer
        TransitionRow(.noAnswer, op(.initiated), .stale),
        TransitionRow(.noAnswer, op(.ringing), .stale),
        TransitionRow(.noAnswer, op(.answered), .stale),
        TransitionRow(.noAnswer, op(.completed), .invalid),
        TransitionRow(.noAnswer, op(.busy), .invalid),
        TransitionRow(.noAnswer, op(.noAnswer), .duplicate),
        TransitionRow(.noAnswer, op(.failed), .invalid),
        TransitionRow(.noAnswer, op(.canceled), .invalid),
        // failed
        TransitionRow(.failed, op(.initiated), .stale),
        TransitionRow(.failed, op(.ringing), .stale),
        TransitionRow(.failed, op(.answered), .stale),
        TransitionRow(.failed, op(.completed), .invalid),
        TransitionRow(.failed, op(.busy), .invalid),
        TransitionRow(.failed, op(.noAnswer), .invalid),
        TransitionRow(.failed, op(.failed), .duplicate),
        TransitionRow(.failed, op(.canceled), .invalid),
        // canceled
        TransitionRow(.canceled, op(.initiated), .stale),
        TransitionRow(.canceled, op(.ringing), .stale),
        TransitionRow(.canceled, op(.answered), .stale),
        TransitionRow(.canceled, op(.completed), .invalid),
        TransitionRow(.canceled, op(.busy), .invalid),
        TransitionRow(.canceled, op(.noAnswer), .invalid),
        TransitionRow(.canceled, op(.failed), .invalid),
        TransitionRow(.canceled, op(.canceled), .duplicate),
        // abandoned (issue 14)
        TransitionRow(.abandoned, op(.initiated), .stale),
        TransitionRow(.abandoned, op(.ringing), .stale),
        TransitionRow(.abandoned, op(.answered), .stale),
        TransitionRow(.abandoned, op(.completed), .invalid),
        TransitionRow(.abandoned, op(.busy), .invalid),
        TransitionRow(.abandoned, op(.noAnswer), .invalid),
        TransitionRow(.abandoned, op(.failed), .invalid),
        TransitionRow(.abandoned, op(.canceled), .invalid),
        // machine (issue 14)
        TransitionRow(.machine, op(.initiated), .stale),
        TransitionRow(.machine, op(.ringing), .stale),
        TransitionRow(.machine, op(.answered), .stale),
        TransitionRow(.machine, op(.completed), .invalid),
        TransitionRow(.machine, op(.busy), .invalid),
        TransitionRow(.machine, op(.noAnswer), .invalid),
        TransitionRow(.machine, op(.failed), .invalid),
        TransitionRow(.machine, op(.canceled), .invalid),
    ]

    func testEveryRow() {
        for row in Self.rows { row.check() }
    }

    func testTableCoversEveryStatusPair() {
        var seen = Set<String>()
        for row in Self.rows {
            XCTAssertTrue(seen.insert("\(row.from.rawValue)|\(row.event.kindName)").inserted,
                          "duplicate row at line \(row.line)")
        }
        XCTAssertEqual(seen.count, CallStatus.allCases.count * CallStatus.operatorSettable.count)
    }

    func testOperatorEndsCallWithOperatorReasonAndNotes() {
        for row in Self.rows {
            guard case .advanced(let target) = row.expect, target.isTerminal else { continue }
            guard case .success(let t) = CallStateMachine.apply(row.event, to: CallFixtures.call(row.from),
                                                                now: CallFixtures.now) else {
                XCTFail("row at line \(row.line)"); continue
            }
            XCTAssertEqual(t.next.endReason, "operator", "line \(row.line)")
            XCTAssertEqual(t.next.notes, "Customer asked for a callback", "line \(row.line)")
        }
    }

    /// A refused report changes nothing, notes included.
    func testInvalidReportDoesNotApplyNotes() {
        let result = CallStateMachine.apply(Self.op(.busy), to: CallFixtures.call(.completed), now: CallFixtures.now)
        guard case .failure(let error) = result else { return XCTFail("expected an error") }
        XCTAssertEqual(error.code.rawValue, "invalid_transition")
        XCTAssertEqual(error.message, "Call has already ended with status completed")
    }
}
