/// Unit tests of the dispatcher's small parts: the live-call table, the bounded idempotency set,
/// parsing of the dialer's reports, classification of `start_call` answers, and the named limits.

import XCTest
import Shared
@testable import queue_daemon

final class DispatchUnitTests: XCTestCase {
    private func call(_ id: String, lead: String, op: String?, start: Int64 = 0) -> LiveCall {
        LiveCall(callId: id, leadId: lead, operatorId: op, startTime: start, mode: .automatic, state: .starting)
    }

    func testLiveCallTableRefusesASecondCallOnALeadAndIndexesOperators() {
        let table = LiveCallTable()
        XCTAssertTrue(table.add(call("c1", lead: "l1", op: "o1", start: 5)))
        XCTAssertFalse(table.add(call("c2", lead: "l1", op: "o2")), "one live call per lead")
        XCTAssertFalse(table.add(call("c1", lead: "l9", op: nil)), "call ids are unique")
        XCTAssertTrue(table.add(call("c3", lead: "l3", op: nil, start: 1)))
        XCTAssertEqual(table.count, 2)
        XCTAssertEqual(table.call(forOperator: "o1")?.callId, "c1")
        XCTAssertEqual(table.all.map(\.callId), ["c3", "c1"], "oldest first")
        XCTAssertTrue(table.setState(.confirmed, callId: "c1"))
        XCTAssertFalse(table.setState(.confirmed, callId: "nope"))
        XCTAssertEqual(table.remove(callId: "c1")?.state, .confirmed)
        XCTAssertNil(table.remove(callId: "c1"), "idempotent")
        XCTAssertNil(table.call(forLead: "l1"))
        XCTAssertNil(table.call(forOperator: "o1"))
        XCTAssertTrue(table.add(call("c4", lead: "l1", op: "o1")), "the lead may be dialled again once the call ended")
    }

    func testProcessedOutcomesIsIdempotentAndBounded() {
        let processed = ProcessedOutcomes(capacity: 3)
        XCTAssertTrue(processed.insert(callId: "a", status: .busy))
        XCTAssertFalse(processed.insert(callId: "a", status: .busy))
        XCTAssertTrue(processed.insert(callId: "a", status: .answered), "another status of the same call is new")
        XCTAssertTrue(processed.insert(callId: "b", status: .failed))
        XCTAssertTrue(processed.insert(callId: "c", status: .failed))
        XCTAssertEqual(processed.count, 3)
        XCTAssertFalse(processed.contains(callId: "a", status: .busy), "the oldest key is forgotten first")
        XCTAssertTrue(processed.contains(callId: "c", status: .failed))
        XCTAssertEqual(ProcessedOutcomes(capacity: 0).capacity, 1)
    }

    func testCallReportParsing() {
        let id = "65a1b2c3d4e5f60718293a4b", lead = "65a1b2c3d4e5f60718293a4c", op = "65a1b2c3d4e5f60718293a4d"
        let body: JSONObject = ["call": ["id": .string(id), "lead": .string(lead), "salesperson": .string(op),
                                         "status": "no-answer", "mode": "manual",
                                         "startTime": "2024-01-15T10:30:00.000Z", "extra": 1],
                                "previousStatus": "ringing"]
        let report = CallReport(eventBody: body)
        XCTAssertEqual(report?.status, .noAnswer)
        XCTAssertEqual(report?.previousStatus, .ringing)
        XCTAssertEqual(report?.mode, .manual)
        XCTAssertEqual(report?.operatorId, op)
        XCTAssertEqual(report?.startTime, Timestamp.parseISO8601("2024-01-15T10:30:00.000Z"))
        XCTAssertEqual(report?.logFields["LEAD_ID"], lead)
        XCTAssertEqual(report?.logFields["CALL_ID"], id)
        XCTAssertEqual(report?.logFields["USER_ID"], op)
        for broken: JSONObject in [
            [:], ["call": "x"], ["call": ["id": .string(id), "lead": .string(lead), "status": "exploded"]],
            ["call": ["id": "short", "lead": .string(lead), "status": "busy"]],
            ["call": ["id": .string(id), "lead": .string(lead), "status": "busy", "salesperson": "bad"]],
        ] {
            XCTAssertNil(CallReport(eventBody: broken), "\(broken)")
        }
        let noOperator = CallReport(eventBody: ["call": ["_id": .string(id), "lead": .string(lead), "status": "busy",
                                                         "salesperson": nil]])
        XCTAssertNotNil(noOperator)
        XCTAssertNil(noOperator?.operatorId)
        XCTAssertEqual(noOperator?.mode, .automatic)
    }

    func testDialerStatusParsingSkipsMalformedAndTerminalEntries() {
        let id = "65a1b2c3d4e5f60718293a4b", lead = "65a1b2c3d4e5f60718293a4c"
        let body: JSONObject = ["activeCalls": [
            ["callId": .string(id), "leadId": .string(lead), "operatorId": nil, "status": "ringing"],
            ["callId": .string(id), "leadId": .string(lead), "status": "completed"],
            ["callId": "bad", "leadId": .string(lead), "status": "ringing"],
            "nonsense",
        ]]
        let live = DialerLiveCall.list(fromStatusReply: body)
        XCTAssertEqual(live?.count, 1)
        XCTAssertEqual(live?.first?.status, .ringing)
        XCTAssertNil(DialerLiveCall.list(fromStatusReply: ["activeCount": 0]))
    }

    func testStartCallAnswersAreClassifiedByWhetherTheCallCanExist() {
        func kind(_ result: Result<JSONObject, IPCError>) -> String {
            switch StartCallResult(result) {
            case .placed: return "placed"
            case .notPlaced: return "notPlaced"
            case .unknown: return "unknown"
            case .callInProgress: return "callInProgress"
            case .refused: return "refused"
            }
        }
        XCTAssertEqual(kind(.success([:])), "placed")
        XCTAssertEqual(kind(.failure(.unreachable("dialer-daemon"))), "unknown", "sent, then the connection dropped")
        XCTAssertEqual(kind(.failure(.unreachable("dialer-daemon", code: .peerTimeout))), "unknown")
        XCTAssertEqual(kind(.failure(.unavailable(code: .dialerStopping, message: "x"))), "notPlaced")
        XCTAssertEqual(kind(.failure(.unavailable(code: .tooManyPending, message: "x"))), "notPlaced")
        XCTAssertEqual(kind(.failure(.conflict(code: .callInProgress, message: "x"))), "callInProgress")
        XCTAssertEqual(kind(.failure(.invalid(code: .validationFailed, message: "x"))), "refused")
        XCTAssertEqual(kind(.failure(.internal(message: "x"))), "refused")
    }

    func testNamedLimits() {
        XCTAssertEqual(DispatchLimits.clientRole, "queue")
        XCTAssertEqual(DispatchLimits.dialerPeerName, "dialer-daemon")
        XCTAssertTrue(DialerEvent.callStatusChanged.rawValue.hasPrefix(DialerEvent.callPrefix))
        XCTAssertEqual(DispatchLimits.startupDialerWaitSeconds, 1.0)
        XCTAssertEqual(DispatchLimits.processedOutcomeCapacity, 100_000)
        XCTAssertEqual(DispatchLimits.statusLineIntervalSeconds, 1.0)
        XCTAssertEqual(DispatchLimits.unconfirmedCallRecheckSeconds, 2.0)
        XCTAssertEqual(DispatchLimits.storeFailureRetrySeconds, 1.0)
        XCTAssertEqual(DispatchLimits.systemActor, LeadStore.systemActor)
        XCTAssertEqual(ProcessedOutcomes().capacity, DispatchLimits.processedOutcomeCapacity)
    }
}
