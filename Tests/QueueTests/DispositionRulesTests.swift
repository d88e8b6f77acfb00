/// `DispositionRules` and `CallbackRules` (issue 12), table tests: the list, whose call, answered
/// or ended, the edit window, each disposition's effect, the call-back time checks (future, 30
/// days, inside the window), and when a booked call-back is dialed, waits or goes to anyone.

import XCTest
import Shared
@testable import queue_daemon

final class DispositionRulesTests: XCTestCase {
    let now: Int64 = 1_000 * 86_400_000
    let hour: Int64 = 3_600_000

    func testDecisionTable() {
        let rules = DispositionRules()
        let ended = DispositionCall(operatorId: "op1", status: .completed, endTime: now - hour)
        let live = DispositionCall(operatorId: "op1", status: .answered, endTime: nil)
        let ringing = DispositionCall(operatorId: "op1", status: .ringing, endTime: nil)
        let old = DispositionCall(operatorId: "op1", status: .busy, endTime: now - 25 * hour)
        let open: (Int64) -> WindowState = { _ in .open(closesAt: .max) }
        let closed: (Int64) -> WindowState = { _ in .closed(opensAt: nil) }
        typealias Case = (String, Int64?, DispositionCall, String, Bool, (Int64) -> WindowState,
                          Result<DispositionEffect, DispositionRefusal>, UInt)
        let cases: [Case] = [
            ("sale", nil, ended, "op1", false, open, .success(.record), #line),
            ("interested", nil, live, "op1", false, open, .success(.record), #line),
            ("not_interested", nil, ended, "op1", false, open, .success(.record), #line),
            ("voicemail", nil, ended, "op1", false, open, .success(.record), #line),
            ("wrong_number", nil, ended, "op1", false, open, .success(.failLead), #line),
            ("do_not_call", nil, ended, "op1", false, open, .success(.doNotCall), #line),
            ("callback", now + hour, ended, "op1", false, open, .success(.callback(at: now + hour)), #line),
            ("sold", nil, ended, "op1", false, open, .failure(.unknown(Dispositions.defaults)), #line),
            ("sale", nil, ended, "op2", false, open, .failure(.notYourCall), #line),
            ("sale", nil, ended, "admin", true, open, .success(.record), #line),
            ("sale", nil, ringing, "op1", false, open, .failure(.callNotAnswered), #line),
            ("sale", nil, old, "op1", false, open, .failure(.editWindowClosed), #line),
            ("callback", nil, ended, "op1", false, open, .failure(.callbackRequired), #line),
            ("callback", now - 1, ended, "op1", false, open, .failure(.callbackInPast), #line),
            ("callback", now + 31 * 24 * hour, ended, "op1", false, open, .failure(.callbackTooFar), #line),
            ("callback", now + hour, ended, "op1", false, closed, .failure(.callbackOutsideWindow), #line),
        ]
        for (name, at, call, actor, admin, window, expected, line) in cases {
            let result = rules.check(disposition: name, callbackAt: at, call: call, actorId: actor, isAdmin: admin,
                                     now: now, windowAt: window)
            XCTAssertEqual(result, expected, name, line: line)
        }
        // A booked call-back replaced by another outcome is cancelled; callback, wrong_number and
        // do_not_call have their own effects whatever was booked.
        let booked: [(String, Int64?, DispositionEffect, UInt)] = [
            ("interested", nil, .cancelCallback, #line), ("not_interested", nil, .cancelCallback, #line),
            ("sale", nil, .cancelCallback, #line), ("voicemail", nil, .cancelCallback, #line),
            ("callback", now + 2 * hour, .callback(at: now + 2 * hour), #line),
            ("wrong_number", nil, .failLead, #line), ("do_not_call", nil, .doNotCall, #line),
        ]
        for (name, at, effect, line) in booked {
            XCTAssertEqual(rules.check(disposition: name, callbackAt: at, call: ended, actorId: "op1", isAdmin: false,
                                       now: now, callbackBooked: true, windowAt: open), .success(effect), name, line: line)
        }
        let short = DispositionRules(allowed: ["sale"], editMillis: hour)
        XCTAssertEqual(short.check(disposition: "sale", callbackAt: nil, call: ended, actorId: "op1", isAdmin: false,
                                   now: now + 1, windowAt: open), .failure(.editWindowClosed))
    }

    func testCallbackDecisions() {
        let grace: Int64 = 15 * 60_000
        let cases: [(Int64, Bool, CallbackDecision, UInt)] = [
            (now - 1000, true, .wait(until: now), #line),
            (now, true, .dialForOperator, #line),
            (now, false, .wait(until: now + grace), #line),
            (now + grace - 1, false, .wait(until: now + grace), #line),
            (now + grace, false, .releaseToAnyone, #line),
            (now + grace, true, .releaseToAnyone, #line),
        ]
        for (at, free, expected, line) in cases {
            XCTAssertEqual(CallbackRules.decide(dueAt: now, graceMillis: grace, operatorFree: free, now: at), expected, line: line)
        }
    }

    func testDispositionListParsing() {
        XCTAssertEqual(Dispositions.parse(" sale, callback ,sale"), ["sale", "callback"])
        XCTAssertNil(Dispositions.parse(""))
        XCTAssertNil(Dispositions.parse("Sale"))
        XCTAssertNil(Dispositions.parse("sale,no-answer"))
    }
}
