import XCTest
@testable import dialer_daemon

/// `GroupCommitPolicy` and `CallWriteBatch` from tables (issue 16): when gathered call writes
/// are committed, and what one commit writes.
final class GroupCommitPolicyTests: XCTestCase {
    func testDecisionsFromTheWaitingCallsAndTheClock() {
        let policy = GroupCommitPolicy(maxBatch: 4, maxDelayMillis: 2)
        let rows: [(waiting: Int, oldestAt: Int64?, now: Int64, expect: GroupCommitPolicy.Decision, line: UInt)] = [
            (0, nil, 100, .idle, #line),
            (0, 90, 100, .idle, #line),                // nothing waits, whatever the time
            (1, 100, 100, .commitAt(102), #line),       // the first write: commit within the delay
            (3, 100, 101, .commitAt(102), #line),       // later writes keep the first one's deadline
            (3, 100, 102, .commitNow, #line),           // the deadline reached
            (2, 100, 150, .commitNow, #line),           // long past it (a busy loop came late)
            (4, 100, 100, .commitNow, #line),           // a full batch does not wait
            (9, 100, 100, .commitNow, #line),
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
        let rows: [(steps: [CallRecord], lead: Int, expect: Int?, line: UInt)] = [
            ([], 1, nil, #line),
            ([call(1, lead: 7, .initiated)], 7, 1, #line),
            ([call(1, lead: 7, .initiated), call(1, lead: 7, .busy)], 7, nil, #line),       // it ended
            ([call(1, lead: 7, .busy), call(2, lead: 7, .initiated)], 7, 2, #line),         // the next call
            ([call(2, lead: 7, .initiated), call(1, lead: 7, .failed)], 7, 2, #line),       // another call ending
            ([call(1, lead: 7, .ringing)], 8, nil, #line),
        ]
        for row in rows {
            var batch = CallWriteBatch()
            for record in row.steps { batch.add(record, inserting: false) }
            XCTAssertEqual(batch.waitingLiveCall(forLead: Fixture.lead(row.lead))?.id, row.expect.map(Fixture.callId),
                           line: row.line)
        }
    }
}
