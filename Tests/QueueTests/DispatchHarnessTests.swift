/// The dispatch test harness: a real `QueueDaemon` (via `QueueDaemonHarness`, manual clock, temp
/// directory) with the `Dispatcher` installed, a `FakeDialer` on `dialer.sock`, and the gateway's
/// `users` table for operators. Helpers create leads and operators, wait for calls, end them, and
/// read leads back from SQL. Plus tests of the harness's own wiring.

import Foundation
import XCTest
import Shared
@testable import queue_daemon

final class DispatchHarness {
    static let defaultEnvironment = [
        "IBRAT_MAX_CONCURRENT_CALLS": "2", "IBRAT_BACKOFF_BUSY": "900", "IBRAT_BACKOFF_NO_ANSWER": "1800",
        "IBRAT_BACKOFF_FAILED": "300", "IBRAT_STUCK_SWEEP": "3600",
    ]

    let base: QueueDaemonHarness
    let dialer: FakeDialer
    let users: Database
    private(set) var dispatcher: Dispatcher!
    private var phoneCounter = 0

    init(environment: [String: String] = [:], startDialer: Bool = true, startQueue: Bool = true) throws {
        base = try QueueDaemonHarness(environment: Self.defaultEnvironment.merging(environment) { $1 }, start: false)
        try base.config.ensureDirectories()
        users = try Database(path: base.config.dbPath, owner: .gateway)
        try Schema.migrate(users, owner: .gateway, now: base.clock.nowMillis())
        dialer = try FakeDialer(loop: base.loop, config: base.config, clock: base.clock)
        if startDialer { try dialer.listen() }
        if startQueue { try self.startQueue() }
    }

    deinit {
        dialer.stop()
        users.close()
    }

    var loop: EventLoop { base.loop }
    var clock: ManualWallClock { base.clock }
    var daemon: QueueDaemon { base.daemon }

    /// Starts the queue-daemon with the dispatcher; waits until planning runs (and, with a
    /// listening dialer, until recovery has synced with it).
    func startQueue(dialerWait: Double = 1.0) throws {
        try base.startDaemon { [unowned self] daemon in
            self.dispatcher = Dispatcher.install(on: daemon, dialerWaitSeconds: dialerWait)
        }
        let expectSync = dialer.server != nil
        XCTAssertTrue(loop.run(until: { self.dispatcher.isStarted && (!expectSync || self.dispatcher.dialerSynced) },
                               timeout: 5), "dispatcher did not start")
    }

    /// Stops the queue-daemon (as a crash would: nothing is cleaned up in the database).
    func stopQueue() {
        base.daemon.stop()
    }

    /// The reply of a command expected to succeed (see `QueueDaemonHarness.ok`).
    @discardableResult
    func ok(_ type: String, _ body: JSONObject, file: StaticString = #filePath, line: UInt = #line) -> JSONObject {
        base.ok(type, body, file: file, line: line)
    }

    /// Inserts an operator-role user and tells the queue about it.
    @discardableResult
    func addOperator(_ id: String = ObjectID.generate(nowMillis: 0), active: Bool = true, available: Bool = true,
                     notify: Bool = true) throws -> String {
        let now = clock.nowMillis()
        try users.run("""
            INSERT INTO users(id, name, email, phone, password_hash, role, is_active, is_available, created_at, updated_at)
            VALUES(?, 'Operator', ?, '+998900000001', 'x', 'operator', ?, ?, ?, ?)
            """, [.text(id), .text("op-\(id)@example.com"), SQLValue(active), SQLValue(available), .int(now), .int(now)])
        if notify { ok("queue.operator_changed", ["userId": .string(id)]) }
        return id
    }

    func setOperator(_ id: String, available: Bool) throws {
        try users.run("UPDATE users SET is_available = ? WHERE id = ?", [SQLValue(available), .text(id)])
        ok("queue.operator_changed", ["userId": .string(id)])
    }

    /// Creates a lead through `queue.create_lead`; returns its id.
    @discardableResult
    func lead(_ priority: LeadPriority = .medium) -> String {
        phoneCounter += 1
        let phone = "+99890\(String(format: "%07d", phoneCounter))"
        return base.createLead(phone: phone, priority: priority.rawValue)["id"]?.string ?? ""
    }

    /// Runs the loop until the fake dialer has received `count` start_calls in total.
    @discardableResult
    func waitForStarts(_ count: Int, timeout: Double = 3, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let ok = loop.run(until: { self.dialer.starts.count >= count }, timeout: timeout)
        XCTAssertTrue(ok, "expected \(count) start_calls, got \(dialer.starts.count)", file: file, line: line)
        return ok
    }

    /// Runs the loop until everything the last action set off is done — no planner run pending,
    /// no request to the dialer awaiting its answer (besides those the fake dialer holds on purpose)
    /// — so a test can then assert that something did not happen, without a fixed wait.
    func settle(file: StaticString = #filePath, line: UInt = #line) {
        guard let dispatcher = dispatcher ?? daemon.dispatch as? Dispatcher else { return XCTFail("no dispatcher", file: file, line: line) }
        let quiet = loop.run(until: {
            loop.runReady()  // whatever is ready now (a report already in the socket) runs first
            return !dispatcher.isPlanPending && dispatcher.dialer.pendingCount <= self.dialer.held
        }, timeout: 5)
        XCTAssertTrue(quiet, "dispatch did not settle: plan pending \(dispatcher.isPlanPending), "
                      + "\(dispatcher.dialer.pendingCount) dialer requests unanswered", file: file, line: line)
    }

    /// Ends a call in the fake dialer and runs the loop until the queue has freed it.
    func end(_ callId: String, _ status: CallStatus, file: StaticString = #filePath, line: UInt = #line) {
        dialer.report(callId, status)
        XCTAssertTrue(loop.run(until: { self.dispatcher.liveCalls.call(id: callId) == nil }, timeout: 3),
                      "queue did not take call \(callId) off the line", file: file, line: line)
        settle()
    }

    /// Runs the loop until `condition` holds (fails the test on timeout).
    func wait(_ what: String, timeout: Double = 3, file: StaticString = #filePath, line: UInt = #line,
              _ condition: @escaping () -> Bool) {
        XCTAssertTrue(loop.run(until: condition, timeout: timeout), "timed out waiting for \(what)", file: file, line: line)
    }

    /// An urgent lead dialed for a new operator, answered and handed over (`transferred`).
    func transferredLead(file: StaticString = #filePath, line: UInt = #line) throws -> (lead: String, call: String) {
        _ = try addOperator()
        let lead = self.lead(.urgent)
        _ = waitForStarts(1, file: file, line: line)
        let call = dialer.startedCallIds[0]
        dialer.report(call, .answered)
        wait("transfer", file: file, line: line) { self.status(lead) == "transferred" }
        return (lead, call)
    }

    /// The reason of the lead's newest event.
    func lastReason(_ leadId: String) -> String {
        (try? base.query("SELECT reason FROM lead_events WHERE lead_id = ? ORDER BY id DESC LIMIT 1", [.text(leadId)]))?
            .first?.string(at: 0) ?? ""
    }

    /// The lead's row as the gateway would read it.
    func row(_ leadId: String) -> Row? {
        try? base.query("SELECT \(LeadJSON.columns) FROM leads WHERE id = ?", [.text(leadId)]).first
    }

    func status(_ leadId: String) -> String? { row(leadId)?.string("status") }
    func attempts(_ leadId: String) -> Int64? { row(leadId)?.int("call_attempts") }

    func events(_ type: String) -> [JSONObject] {
        base.events.filter { $0.type == type }.map(\.body)
    }
}

final class DispatchHarnessTests: XCTestCase {
    func testDispatcherIsInstalledAndSyncedWithTheDialerBeforeDispatching() throws {
        let h = try DispatchHarness()
        XCTAssertTrue(h.daemon.dispatch === h.dispatcher)
        XCTAssertTrue(h.dispatcher.dialer.isConnected)
        XCTAssertTrue(h.dispatcher.dialerSynced)
        XCTAssertGreaterThanOrEqual(h.dialer.statusRequests, 1, "recovery asks the dialer which calls are live")
        XCTAssertTrue(h.base.logs.lines.contains { $0.contains("dispatch state loaded") })
    }

    func testStartsWithoutDialerAndHoldsDispatchUntilItListens() throws {
        let h = try DispatchHarness(startDialer: false, startQueue: false)
        try h.startQueue(dialerWait: 0.05)
        XCTAssertTrue(h.daemon.isReady, "a missing dialer does not stop the start-up")
        try h.addOperator()
        let lead = h.lead(.urgent)
        h.settle()
        XCTAssertEqual(h.dialer.starts.count, 0)
        XCTAssertEqual(h.status(lead), "pending")
        XCTAssertTrue(h.dispatcher.statusLine.current.contains("dialer unreachable"), h.dispatcher.statusLine.current)
        try h.dialer.listen()
        h.waitForStarts(1)
        XCTAssertEqual(h.dialer.startedLeadIds, [lead])
    }
}
