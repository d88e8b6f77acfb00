/// Stuck-lead recovery at queue-daemon start-up, before READY, for each case: no call row →
/// pending; a terminal call → its outcome; a call the dialer still has live → kept and adopted
/// (its operator stays reserved); a non-terminal call the dialer no longer has → reset; the
/// dialer down → such leads are left alone until it connects. Operators' on-call state and last
/// busy time are rebuilt from `calls`.

import XCTest
import Shared
@testable import queue_daemon

final class RecoveryStartupTests: XCTestCase {
    /// Seeds the database as a crashed queue-daemon would have left it.
    final class Seed {
        let db: Database
        let clock: WallClock
        private var phone = 0

        init(_ h: DispatchHarness) throws {
            db = try Database(path: h.base.config.dbPath, owner: .queue)
            try Schema.migrate(db, owner: .queue, now: h.clock.nowMillis())
            clock = h.clock
        }

        @discardableResult
        func lead(_ status: LeadStatus, assignedTo: String? = nil, attempts: Int = 0,
                  priority: LeadPriority = .medium) throws -> String {
            phone += 1
            let id = ObjectID.generate(nowMillis: clock.nowMillis())
            try db.run("""
                INSERT INTO leads(id, phone, status, priority, priority_rank, call_attempts, assigned_to, created_at, updated_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .text("+9989100\(String(format: "%05d", phone))"), .text(status.rawValue),
                      .text(priority.rawValue), .int(Int64(priority.rank)), .int(Int64(attempts)), SQLValue(assignedTo),
                      .int(clock.nowMillis()), .int(clock.nowMillis())])
            return id
        }
    }

    func testEveryStuckCaseIsSettledBeforeReady() throws {
        let h = try DispatchHarness(environment: ["IBRAT_BACKOFF_BUSY": "900"], startQueue: false)
        let seed = try Seed(h)
        let op = try h.addOperator(notify: false)
        let noCall = try seed.lead(.calling, assignedTo: op)
        let busy = try seed.lead(.calling, assignedTo: op)
        let completed = try seed.lead(.answered, assignedTo: op)
        let live = try seed.lead(.calling, assignedTo: op)
        let lost = try seed.lead(.calling, assignedTo: op)
        let busyCall = ObjectID.generate(nowMillis: 0), completedCall = ObjectID.generate(nowMillis: 0)
        let liveCall = ObjectID.generate(nowMillis: 0), lostCall = ObjectID.generate(nowMillis: 0)
        try h.dialer.insertCall(id: busyCall, leadId: busy, operatorId: op, status: .busy)
        try h.dialer.insertCall(id: completedCall, leadId: completed, operatorId: op, status: .completed)
        try h.dialer.insertCall(id: liveCall, leadId: live, operatorId: op, status: .ringing)
        try h.dialer.insertCall(id: lostCall, leadId: lost, operatorId: nil, status: .answered)
        h.dialer.hiddenFromStatus = [lostCall]
        var statusAtReady: [String: String] = [:]
        try h.base.startDaemon { daemon in
            _ = Dispatcher.install(on: daemon)
            daemon.startup.add("test: observe", sync: {
                for id in [noCall, busy, completed, live, lost] { statusAtReady[id] = h.status(id) }
            })
        }
        XCTAssertEqual(statusAtReady[noCall], "pending")
        XCTAssertEqual(statusAtReady[busy], "pending")
        XCTAssertEqual(statusAtReady[completed], "transferred")
        XCTAssertEqual(statusAtReady[live], "calling")
        XCTAssertEqual(statusAtReady[lost], "transferred", "a call last seen answered reached its operator")
        XCTAssertEqual(h.attempts(noCall), 0)
        XCTAssertEqual(h.attempts(busy), 1)
        XCTAssertEqual(h.row(busy)?.optionalInt("next_call_time"), h.clock.nowMillis() + 900_000)
        let dispatcher = try XCTUnwrap(h.daemon.dispatch as? Dispatcher)
        XCTAssertEqual(dispatcher.liveCalls.call(forLead: live)?.callId, liveCall)
        XCTAssertEqual(dispatcher.operators.state(of: op)?.onCall, liveCall, "the operator is still on the live call")
        XCTAssertTrue(dispatcher.scheduler.contains(id: noCall))
        let reasons = try h.base.query("SELECT reason FROM lead_events WHERE lead_id = ?", [.text(noCall)])
        XCTAssertTrue(reasons.last?.string(at: 0).contains("start-up: no call was placed") ?? false)
        h.dialer.report(busyCall, .busy)
        h.settle()
        XCTAssertEqual(h.attempts(busy), 1, "a late report of an outcome recovery applied is not applied again")
    }

    func testWithTheDialerDownLiveLookingCallsAreLeftAloneUntilItConnects() throws {
        let h = try DispatchHarness(startDialer: false, startQueue: false)
        let seed = try Seed(h)
        let op = try h.addOperator(notify: false)
        let ringing = try seed.lead(.calling, assignedTo: op)
        let ended = try seed.lead(.calling, assignedTo: op)
        let ringingCall = ObjectID.generate(nowMillis: 0), endedCall = ObjectID.generate(nowMillis: 0)
        try h.dialer.insertCall(id: ringingCall, leadId: ringing, operatorId: op, status: .ringing)
        try h.dialer.insertCall(id: endedCall, leadId: ended, operatorId: op, status: .noAnswer)
        try h.startQueue(dialerWait: 0.05)
        XCTAssertEqual(h.status(ringing), "calling", "cannot tell yet")
        XCTAssertEqual(h.status(ended), "pending", "a terminal call is settled without the dialer")
        XCTAssertEqual(h.dispatcher.liveCalls.count, 1)
        h.dialer.report(ringingCall, .failed, publish: false)  // the dialer's own start-up ends it
        try h.dialer.listen()
        h.wait("reconciliation", timeout: 5) { h.dispatcher.dialerSynced }
        XCTAssertEqual(h.status(ringing), "pending")
        XCTAssertEqual(h.attempts(ringing), 1)
        XCTAssertEqual(h.dispatcher.liveCalls.count, 0)
        XCTAssertNil(h.dispatcher.operators.state(of: op)?.onCall)
    }

    func testOperatorsComeBackWithTheirLastBusyTime() throws {
        let h = try DispatchHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "1"], startQueue: false)
        let seed = try Seed(h)
        let recent = try h.addOperator(notify: false)
        let idle = try h.addOperator(notify: false)
        let old = try seed.lead(.transferred, assignedTo: idle)
        let newer = try seed.lead(.failed, assignedTo: recent)
        try h.dialer.insertCall(id: ObjectID.generate(nowMillis: 0), leadId: old, operatorId: idle, status: .completed)
        h.clock.advance(byMillis: 60_000)
        try h.dialer.insertCall(id: ObjectID.generate(nowMillis: 0), leadId: newer, operatorId: recent, status: .busy)
        try h.startQueue()
        XCTAssertEqual(h.dispatcher.operators.state(of: recent)?.lastBusyAt, h.clock.nowMillis())
        h.lead(.urgent)
        h.waitForStarts(1)
        XCTAssertEqual(h.dialer.starts[0]["operatorId"]?.string, idle, "the longest idle operator goes first")
    }
}
