import Shared
import XCTest
@testable import dialer_daemon

/// `GroupCommitPolicy` and `CallWriteBatch` from tables (issue 16): when gathered call writes
/// are committed, and what one commit writes.
final class GroupCommitPolicyTests: XCTestCase {
    func testDecisionsFromTheWaitingCallsAndTheClock() {
        struct Row {
            let waiting: Int
            let oldestAt: Int64?
            let now: Int64
            let expect: GroupCommitPolicy.Decision
            let line: UInt
        }
        let policy = GroupCommitPolicy(maxBatch: 4, maxDelayMillis: 2)
        let rows: [Row] = [
            Row(waiting: 0, oldestAt: nil, now: 100, expect: .idle, line: #line),
            Row(waiting: 0, oldestAt: 90, now: 100, expect: .idle, line: #line),             // nothing waits
            Row(waiting: 1, oldestAt: 100, now: 100, expect: .commitAt(102), line: #line),   // within the delay
            Row(waiting: 3, oldestAt: 100, now: 101, expect: .commitAt(102), line: #line),   // the first one's deadline
            Row(waiting: 3, oldestAt: 100, now: 102, expect: .commitNow, line: #line),       // the deadline reached
            Row(waiting: 2, oldestAt: 100, now: 150, expect: .commitNow, line: #line),       // a busy loop came late
            Row(waiting: 4, oldestAt: 100, now: 100, expect: .commitNow, line: #line),       // a full batch
            Row(waiting: 9, oldestAt: 100, now: 100, expect: .commitNow, line: #line),
        ]
        for row in rows {
            XCTAssertEqual(policy.decide(waiting: row.waiting, oldestAt: row.oldestAt, now: row.now), row.expect,
                           line: row.line)
        }
    }

    func testImmediateCommitsEveryWriteAndStandardWaitsALittle() {
        XCTAssertEqual(GroupCommitPolicy.immediate.decide(waiting: 1, oldestAt: 5, now: 5), .commitNow)
        XCTAssertEqual(GroupCommitPolicy.standard.decide(waiting: 1, oldestAt: 5, now: 5),
                       .commitAt(5 + DialerLimits.groupCommitMaxDelayMillis))
        XCTAssertEqual(GroupCommitPolicy.standard.decide(waiting: DialerLimits.groupCommitMaxCalls, oldestAt: 5, now: 5),
                       .commitNow)
    }

    private func call(_ n: Int, lead: Int? = nil, _ status: CallStatus) -> CallRecord {
        CallRecord(id: Fixture.callId(n), leadId: Fixture.lead(lead ?? n), operatorId: nil, mode: .automatic,
                   status: status, from: "+15005550006", to: "+998901234567", startTime: 1, createdAt: 1, updatedAt: 1)
    }

    func testABatchWritesEachCallOnceInItsLastStateInFirstWriteOrder() {
        var batch = CallWriteBatch()
        let steps: [(CallRecord, Bool)] = [
            (call(1, .initiated), true), (call(2, .ringing), false), (call(1, .ringing), false),
            (call(3, .answered), false), (call(2, .busy), false), (call(1, .answered), false),
        ]
        for (record, inserting) in steps { batch.add(record, inserting: inserting) }
        XCTAssertEqual(batch.count, 3)
        XCTAssertEqual(batch.inserts.map(\.id), [Fixture.callId(1)], "inserted once, as it is by the commit")
        XCTAssertEqual(batch.inserts.map(\.status), [.answered])
        XCTAssertEqual(batch.updates.map(\.id), [Fixture.callId(2), Fixture.callId(3)])
        XCTAssertEqual(batch.updates.map(\.status), [.busy, .answered])
    }

    func testTheWaitingLiveCallOfALead() {
        struct Row {
            let steps: [CallRecord]
            let lead: Int
            let expect: Int?
            let line: UInt
        }
        let rows: [Row] = [
            Row(steps: [], lead: 1, expect: nil, line: #line),
            Row(steps: [call(1, lead: 7, .initiated)], lead: 7, expect: 1, line: #line),
            Row(steps: [call(1, lead: 7, .initiated), call(1, lead: 7, .busy)], lead: 7, expect: nil, line: #line),
            Row(steps: [call(1, lead: 7, .busy), call(2, lead: 7, .initiated)], lead: 7, expect: 2, line: #line),
            Row(steps: [call(2, lead: 7, .initiated), call(1, lead: 7, .failed)], lead: 7, expect: 2, line: #line),
            Row(steps: [call(1, lead: 7, .ringing)], lead: 8, expect: nil, line: #line),
        ]
        for row in rows {
            var batch = CallWriteBatch()
            for record in row.steps { batch.add(record, inserting: false) }
            let expected: String? = row.expect.map { Fixture.callId($0) }
            XCTAssertEqual(batch.waitingLiveCall(forLead: Fixture.lead(row.lead))?.id, expected, line: row.line)
        }
    }
}
