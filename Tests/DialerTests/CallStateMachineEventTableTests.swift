import Shared
import XCTest
@testable import dialer_daemon

/// Every call status × every provider/system event, written out row by row.
final class CallStateMachineEventTableTests: XCTestCase {
    static let fail = CallEvent.failed(code: "31005", message: "Connection error")
    static let done = CallEvent.completed(durationSeconds: nil)

    static let rows: [TransitionRow] = [
        // initiated
        TransitionRow(.initiated, .ringing, .advanced(.ringing)),
        TransitionRow(.initiated, .answered, .advanced(.answered)),
        TransitionRow(.initiated, done, .advanced(.completed)),
        TransitionRow(.initiated, .busy, .advanced(.busy)),
        TransitionRow(.initiated, .noAnswer, .advanced(.noAnswer)),
        TransitionRow(.initiated, fail, .advanced(.failed)),
        TransitionRow(.initiated, .canceled, .advanced(.canceled)),
        TransitionRow(.initiated, .hangup, .advanced(.canceled)),
        // ringing
        TransitionRow(.ringing, .ringing, .duplicate),
        TransitionRow(.ringing, .answered, .advanced(.answered)),
        TransitionRow(.ringing, done, .advanced(.completed)),
        TransitionRow(.ringing, .busy, .advanced(.busy)),
        TransitionRow(.ringing, .noAnswer, .advanced(.noAnswer)),
        TransitionRow(.ringing, fail, .advanced(.failed)),
        TransitionRow(.ringing, .canceled, .advanced(.canceled)),
        TransitionRow(.ringing, .hangup, .advanced(.canceled)),
        // answered
        TransitionRow(.answered, .ringing, .stale),
        TransitionRow(.answered, .answered, .duplicate),
        TransitionRow(.answered, done, .advanced(.completed)),
        TransitionRow(.answered, .busy, .invalid),
        TransitionRow(.answered, .noAnswer, .invalid),
        TransitionRow(.answered, fail, .invalid),
        TransitionRow(.answered, .canceled, .invalid),
        TransitionRow(.answered, .hangup, .advanced(.completed)),
        // completed
        TransitionRow(.completed, .ringing, .stale),
        TransitionRow(.completed, .answered, .stale),
        TransitionRow(.completed, done, .duplicate),
        TransitionRow(.completed, .busy, .invalid),
        TransitionRow(.completed, .noAnswer, .invalid),
        TransitionRow(.completed, fail, .invalid),
        TransitionRow(.completed, .canceled, .invalid),
        TransitionRow(.completed, .hangup, .stale),
        // busy
        TransitionRow(.busy, .ringing, .stale),
        TransitionRow(.busy, .answered, .stale),
        TransitionRow(.busy, done, .invalid),
        TransitionRow(.busy, .busy, .duplicate),
        TransitionRow(.busy, .noAnswer, .invalid),
        TransitionRow(.busy, fail, .invalid),
        TransitionRow(.busy, .canceled, .invalid),
        TransitionRow(.busy, .hangup, .stale),
        // no-answer
        TransitionRow(.noAnswer, .ringing, .stale),
        TransitionRow(.noAnswer, .answered, .stale),
        TransitionRow(.noAnswer, done, .invalid),
        TransitionRow(.noAnswer, .busy, .invalid),
        TransitionRow(.noAnswer, .noAnswer, .duplicate),
        TransitionRow(.noAnswer, fail, .invalid),
        TransitionRow(.noAnswer, .canceled, .invalid),
        TransitionRow(.noAnswer, .hangup, .stale),
        // failed
        TransitionRow(.failed, .ringing, .stale),
        TransitionRow(.failed, .answered, .stale),
        TransitionRow(.failed, done, .invalid),
        TransitionRow(.failed, .busy, .invalid),
        TransitionRow(.failed, .noAnswer, .invalid),
        TransitionRow(.failed, fail, .duplicate),
        TransitionRow(.failed, .canceled, .invalid),
        TransitionRow(.failed, .hangup, .stale),
        // canceled
        TransitionRow(.canceled, .ringing, .stale),
        TransitionRow(.canceled, .answered, .stale),
        TransitionRow(.canceled, done, .invalid),
        TransitionRow(.canceled, .busy, .invalid),
        TransitionRow(.canceled, .noAnswer, .invalid),
        TransitionRow(.canceled, fail, .invalid),
        TransitionRow(.canceled, .canceled, .duplicate),
        TransitionRow(.canceled, .hangup, .stale),
        // abandoned (issue 14)
        TransitionRow(.abandoned, .ringing, .stale),
        TransitionRow(.abandoned, .answered, .stale),
        TransitionRow(.abandoned, done, .invalid),
        TransitionRow(.abandoned, .busy, .invalid),
        TransitionRow(.abandoned, .noAnswer, .invalid),
        TransitionRow(.abandoned, fail, .invalid),
        TransitionRow(.abandoned, .canceled, .invalid),
        TransitionRow(.abandoned, .hangup, .stale),
        // machine (issue 14)
        TransitionRow(.machine, .ringing, .stale),
        TransitionRow(.machine, .answered, .stale),
        TransitionRow(.machine, done, .invalid),
        TransitionRow(.machine, .busy, .invalid),
        TransitionRow(.machine, .noAnswer, .invalid),
        TransitionRow(.machine, fail, .invalid),
        TransitionRow(.machine, .canceled, .invalid),
        TransitionRow(.machine, .hangup, .stale),
    ]

    func testEveryRow() {
        for row in Self.rows { row.check() }
    }

    func testTableCoversEveryStatusAndEvent() {
        let events = Set(Self.rows.map { $0.event.kindName })
        XCTAssertEqual(events.count, 8)
        var seen = Set<String>()
        for row in Self.rows {
            XCTAssertTrue(seen.insert("\(row.from.rawValue)|\(row.event.kindName)").inserted,
                          "duplicate row at line \(row.line)")
        }
        XCTAssertEqual(seen.count, CallStatus.allCases.count * events.count)
    }

    /// Whatever happens, a terminal call keeps its status and timestamps.
    func testTerminalStatusesNeverChange() {
        for status in CallStatus.allCases where status.isTerminal {
            for row in Self.rows where row.from == status {
                if case .success(let t) = CallStateMachine.apply(row.event, to: CallFixtures.call(status),
                                                                 now: CallFixtures.now) {
                    XCTAssertEqual(t.next, CallFixtures.call(status), "\(status) + \(row.event)")
                }
            }
        }
    }
}
