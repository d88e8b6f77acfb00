import Foundation
import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// `CallManager` with a scripted provider: provider reports through the state machine
/// (duplicates ignored, conflicting finals still end the call), and database failures (a trigger
/// that refuses writes stands in for a full disk): commands answer 500 `internal`, provider
/// reports wait and are stored in order once writes work again.
final class DaemonCallManagerTests: XCTestCase {
    /// A provider the test drives by hand.
    final class ScriptedProvider: CallProvider {
        let name = "scripted"
        var placed: [CallRequest] = []
        var hungUp: [String] = []
        var callbacks: [String: (CallProviderEvent) -> Void] = [:]
        var activeCount: Int { callbacks.count }
        func place(_ request: CallRequest, events: @escaping (CallProviderEvent) -> Void) {
            placed.append(request)
            callbacks[request.callId] = events
        }
        func hangup(callId: String) { hungUp.append(callId) }
        func report(_ callId: String, _ event: CallProviderEvent) {
            callbacks[callId]?(event)
            if event.isFinal { callbacks[callId] = nil }
        }
    }

    private var temp: TemporaryDatabase!
    var loop: EventLoop!
    var db: Database { temp.db }
    var provider: ScriptedProvider!
    var manager: CallManager!
    let clock = ManualWallClock(now: 1_700_000_000_000)
    let capture = LogCapture()
    var published: [(String?, String?)] = []

    override func setUpWithError() throws {
        temp = try TemporaryDatabase(owner: .dialer, prefix: "dialerd-mgr")
        loop = try EventLoop()
        provider = ScriptedProvider()
        manager = CallManager(store: CallStore(db: db), provider: provider, clock: clock,
                              logger: Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .capture(capture)),
                              loop: loop, retryInterval: 0.01)
        manager.publish = { [unowned self] type, body in
            if type == DialerEvent.callUpdated { return }  // issue 14: ends wrap-up in the queue
            XCTAssertEqual(type, .callStatusChanged)
            published.append((body["previousStatus"]?.string, body["call"]?["status"]?.string))
        }
    }

    override func tearDown() {
        temp = nil
    }

    private func start(_ n: Int = 1) -> CallRecord? {
        try? manager.startCall(StartCallBody(callId: Fixture.callId(n), leadId: Fixture.lead(n),
                                                operatorId: Fixture.operatorA, to: "+998901234567",
                                                mode: .automatic)).get()
    }

    /// A trigger that makes every INSERT or UPDATE of `calls` fail, like a full disk.
    private func breakWrites() throws {
        let admin = try temp.connect(owner: nil)
        try admin.execute("""
            CREATE TRIGGER no_insert BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            CREATE TRIGGER no_update BEFORE UPDATE ON calls BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            """)
    }

    private func repairWrites() throws {
        try temp.connect(owner: nil).execute("DROP TRIGGER no_insert; DROP TRIGGER no_update")
    }

    func testProviderReportsAreAppliedStoredAndPublishedInOrder() throws {
        let callId = try XCTUnwrap(start()).id
        XCTAssertEqual(provider.placed.first?.from, DialerLimits.simulatedCallerId)
        provider.report(callId, .created(sid: "CA" + String(repeating: "1", count: 32)))
        provider.report(callId, .ringing)
        clock.advance(byMillis: 2000)
        provider.report(callId, .answered)
        provider.report(callId, .ringing)  // stale
        provider.report(callId, .answered)  // duplicate
        clock.advance(byMillis: 61_000)
        provider.report(callId, .completed(durationSeconds: 60))
        XCTAssertEqual(published.map(\.1), ["initiated", "ringing", "answered", "completed"])
        XCTAssertEqual(published.map(\.0), [nil, "initiated", "ringing", "answered"])
        let stored = try XCTUnwrap(CallStore(db: db).load(sid: "CA" + String(repeating: "1", count: 32)))
        XCTAssertEqual(stored.status, .completed)
        XCTAssertEqual(stored.duration, 60)
        XCTAssertEqual(stored.answerTime, 1_700_000_002_000)
        XCTAssertEqual(stored.endTime, clock.now)
        XCTAssertTrue(manager.active.isEmpty)
        provider.callbacks[callId] = { _ in }
        manager.providerReported(callId: callId, .busy)
        XCTAssertEqual(published.count, 4, "reports about ended calls are ignored")
    }

    func testAFinalReportThatConflictsWithTheRecordStillEndsTheCall() throws {
        let callId = try XCTUnwrap(start()).id
        _ = try manager.updateCall(UpdateCallBody(actorId: Fixture.admin, actorRole: .admin, callId: callId,
                                                     status: .answered, notes: nil, duration: nil)).get()
        provider.report(callId, .busy)
        XCTAssertEqual(published.map(\.1), ["initiated", "answered", "completed"])
        XCTAssertEqual(try CallStore(db: db).load(id: callId)?.status, .completed)
        XCTAssertFalse(capture.records.filter { $0.level == .warning && $0.field("CALL_ID") == callId }.isEmpty)
    }

    func testAFailedInsertAnswersInternalAndPlacesNothing() throws {
        try breakWrites()
        let result = manager.startCall(StartCallBody(callId: Fixture.callId(1), leadId: Fixture.lead(1),
                                                        operatorId: nil, to: "+998901234567", mode: .manual))
        guard case .failure(let error) = result else { return XCTFail("expected an error") }
        XCTAssertEqual(error.code, "internal")
        XCTAssertEqual(error.status, 500)
        XCTAssertTrue(provider.placed.isEmpty)
        XCTAssertTrue(published.isEmpty)
        let logged = capture.records.filter { $0.level == .error }
        XCTAssertEqual(logged.first?.field("CALL_ID"), Fixture.callId(1))
        XCTAssertTrue(logged.first?.message.contains("disk is full") == true, logged.first?.message ?? "")
    }

    func testFailedWritesAnswerInternalAndProviderReportsAreRetriedInOrder() throws {
        let callId = try XCTUnwrap(start()).id
        try breakWrites()
        let update = manager.updateCall(UpdateCallBody(actorId: Fixture.operatorA, actorRole: .operator_,
                                                          callId: callId, status: nil, notes: "n", duration: nil))
        guard case .failure(let error) = update else { return XCTFail("expected an error") }
        XCTAssertEqual(error.status, 500)
        XCTAssertNil(manager.active[callId]?.notes, "memory keeps the stored state")

        provider.report(callId, .ringing)
        provider.report(callId, .busy)
        XCTAssertEqual(published.map(\.1), ["initiated"], "nothing unstored is published")
        XCTAssertEqual(capture.records.filter { $0.level == .error && $0.field("CALL_ID") == callId }.count, 2,
                       "the update and the first failed report; later ones wait quietly")
        // Each retry that fails again arms a new timer: wait for two of them.
        for _ in 1...2 {
            let armed = try XCTUnwrap(manager.retryTimer)
            XCTAssertTrue(loop.run(until: { self.manager.retryTimer.map { $0 !== armed } ?? false }, timeout: 2),
                          "the backlog was retried and re-armed")
        }
        XCTAssertEqual(manager.backlog[callId]?.count, 2, "both reports still wait, in order")
        XCTAssertEqual(manager.active[callId]?.status, .initiated, "still live while the disk is full")

        try repairWrites()
        XCTAssertTrue(loop.run(until: { self.manager.active.isEmpty }, timeout: 2))
        XCTAssertEqual(published.map(\.1), ["initiated", "ringing", "busy"])
        XCTAssertEqual(try CallStore(db: db).load(id: callId)?.status, .busy)
        XCTAssertTrue(manager.backlog.isEmpty)
    }

    func testShutdownEndsLiveCallsAndHangsThemUp() throws {
        let a = try XCTUnwrap(start(1)).id
        let b = try XCTUnwrap(start(2)).id
        provider.report(b, .ringing)
        let ended = manager.shutdown()
        XCTAssertEqual(ended.map(\.id), [a, b])
        XCTAssertEqual(Set(provider.hungUp), [a, b])
        XCTAssertEqual(published.suffix(2).map(\.1), ["failed", "failed"])
        let stored = try XCTUnwrap(CallStore(db: db).load(id: b))
        XCTAssertEqual(stored.endReason, "shutdown")
        XCTAssertEqual(stored.errorMessage, "Dialer stopped while the call was in progress")
        XCTAssertTrue(manager.active.isEmpty)
    }

    func testShutdownThatCannotWriteLeavesTheCallsToRecovery() throws {
        let a = try XCTUnwrap(start(1)).id
        try breakWrites()
        XCTAssertEqual(manager.shutdown(), [])
        XCTAssertEqual(published.map(\.1), ["initiated"], "nothing unstored is published")
        XCTAssertEqual(provider.hungUp, [a])
        try repairWrites()
        XCTAssertEqual(try manager.recoverAfterRestart().ended.map(\.endReason), ["restart"])
    }
}
