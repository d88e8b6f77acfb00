import Shared
import XCTest
@testable import dialer_daemon

/// Shared fixtures for the call state machine tests: a consistent snapshot for every status, the
/// expected outcome of a table row, and the row checker.
enum CallFixtures {
    static let start: Int64 = 1_700_000_000_000
    static let answeredAt: Int64 = start + 5_000
    static let endedAt: Int64 = start + 65_000
    static let now: Int64 = start + 100_000

    /// A call as it would look after reaching `status` along the normal path.
    static func call(_ status: CallStatus) -> CallSnapshot {
        var call = CallSnapshot.initiated(at: start)
        call.status = status
        if status == .answered || status == .completed { call.answerTime = answeredAt }
        if status.isTerminal {
            call.endTime = endedAt
            call.endReason = CallEndReason.provider.rawValue
        }
        if status == .completed { call.duration = 60 }
        if status == .failed {
            call.errorCode = "31005"
            call.errorMessage = "Connection error"
        }
        return call
    }
}

/// What one row of a transition table expects.
enum Expect: Equatable {
    case advanced(CallStatus)
    case duplicate
    case stale
    case invalid
}

struct TransitionRow {
    let from: CallStatus
    let event: CallEvent
    let expect: Expect
    let line: UInt

    init(_ from: CallStatus, _ event: CallEvent, _ expect: Expect, line: UInt = #line) {
        self.from = from
        self.event = event
        self.expect = expect
        self.line = line
    }

    /// Applies the row and checks the result, including the invariants every outcome must keep.
    func check(file: StaticString = #filePath) {
        let before = CallFixtures.call(from)
        let result = CallStateMachine.apply(event, to: before, now: CallFixtures.now)
        let label = "\(from.rawValue) + \(event)"
        switch (result, expect) {
        case (.success(let t), .advanced(let target)):
            XCTAssertEqual(t.kind, .advanced, label, file: file, line: line)
            XCTAssertEqual(t.status, target, label, file: file, line: line)
            XCTAssertTrue(t.isStatusChange, label, file: file, line: line)
            XCTAssertEqual(t.previousStatus, from, label, file: file, line: line)
            XCTAssertEqual(t.next.endTime, target.isTerminal ? CallFixtures.now : nil, label, file: file, line: line)
            XCTAssertEqual(t.next.endReason != nil, target.isTerminal, label, file: file, line: line)
            if target == .answered {
                XCTAssertEqual(t.next.answerTime, CallFixtures.now, label, file: file, line: line)
            }
        case (.success(let t), .duplicate), (.success(let t), .stale):
            XCTAssertEqual(t.kind, expect == .duplicate ? .duplicate : .stale, label, file: file, line: line)
            XCTAssertFalse(t.isStatusChange, label, file: file, line: line)
            var expected = before
            if case .operatorUpdate(_, let notes, _) = event, let notes { expected.notes = notes }
            XCTAssertEqual(t.next, expected, "\(label): only notes may change", file: file, line: line)
        case (.failure(let error), .invalid):
            XCTAssertEqual(error.code, .invalidTransition, label, file: file, line: line)
            XCTAssertEqual(error.httpStatus, 409, label, file: file, line: line)
        default:
            XCTFail("\(label): expected \(expect), got \(result)", file: file, line: line)
        }
    }
}

extension CallEvent {
    /// The event's kind without payload, to prove a table covers every combination.
    var kindName: String {
        switch self {
        case .ringing: return "ringing"
        case .answered: return "answered"
        case .completed: return "completed"
        case .busy: return "busy"
        case .noAnswer: return "noAnswer"
        case .failed: return "failed"
        case .canceled: return "canceled"
        case .hangup: return "hangup"
        case .abandoned: return "abandoned"
        case .machine: return "machine"
        case .operatorUpdate(let status, _, _): return "operator:\(status.rawValue)"
        }
    }
}
