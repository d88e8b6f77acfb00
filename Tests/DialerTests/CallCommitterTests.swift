import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// `CallCommitter` and `CallManager` with group commit (issue 16), on a real database and loop
/// with a manual clock: nothing is answered, published or placed before its commit; one commit
/// stores a burst; a failed commit keeps nothing and restores memory.
final class CallCommitterTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var loop: EventLoop!
    private var db: Database!
    private var provider: DaemonCallManagerTests.ScriptedProvider!
    private var manager: CallManager!
    private let clock = ManualWallClock(now: 1_700_000_000_000)
    private var published: [String] = []

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "dialerd-commit")
        loop = try EventLoop()
        db = try Database(path: temp.path + "/ibrat.db", owner: .dialer)
        try Schema.migrate(db, owner: .dialer, now: 0)
        provider = DaemonCallManagerTests.ScriptedProvider()
        manager = CallManager(store: CallStore(db: db), provider: provider, clock: clock,
                              logger: Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .capture(LogCapture())),
                              loop: loop, retryInterval: 0.01,
                              commitPolicy: GroupCommitPolicy(maxBatch: 4, maxDelayMillis: 2))
        manager.publish = { [unowned self] _, body in
            published.append("\(body["call"]?["id"]?.string?.suffix(1) ?? "?"):\(body["call"]?["status"]?.string ?? "?")")
        }
    }

    override func tearDown() {
        db.close()
        temp = nil
    }

    private func body(_ n: Int, lead: Int? = nil) -> StartCallBody {
        StartCallBody(callId: Fixture.callId(n), leadId: Fixture.lead(lead ?? n), operatorId: Fixture.operatorA,
                      to: "+998901234567", mode: .automatic)
    }

    private func storedCount() throws -> Int64 {
        try db.queryOne("SELECT count(*) FROM calls")?.int(at: 0) ?? -1
    }

    func testAnswersEventsAndPlacingWaitForTheCommitThatStoresTheBurst() throws {
        var answers: [String] = []
        for n in 1...3 { manager.startCall(body(n)) { answers.append((try? $0.get().id.suffix(1)).map(String.init) ?? "error") } }
        XCTAssertEqual(answers, [], "nothing is answered before the commit")
        XCTAssertEqual(published, [])
        XCTAssertTrue(provider.placed.isEmpty, "nothing is placed before the commit")
        XCTAssertEqual(try storedCount(), 0)
        XCTAssertEqual(manager.active.count, 3, "memory moves at once")
        if case .success = manager.startCall(body(9, lead: 2)) { XCTFail("the lead's waiting call is live") }

        XCTAssertTrue(loop.run(until: { answers.count == 3 }, timeout: 2), "the delay's timer commits")
        XCTAssertEqual(answers, ["1", "2", "3"])
        XCTAssertEqual(published, ["1:initiated", "2:initiated", "3:initiated"])
        XCTAssertEqual(provider.placed.map(\.callId), (1...3).map(Fixture.callId))
        XCTAssertEqual(try storedCount(), 3)
        XCTAssertEqual(manager.committer.commits, 1, "one commit for the burst (the refusal wrote nothing)")
    }

    func testReportsOfOneCallShareACommitAndArePublishedInOrder() throws {
        let id = try XCTUnwrap(try? manager.startCall(body(1)).get()).id
        let commitsBefore = manager.committer.commits
        provider.report(id, .ringing)
        provider.report(id, .answered)
        provider.report(id, .completed(durationSeconds: 5))
        XCTAssertEqual(published, ["1:initiated"])
        XCTAssertNil(manager.active[id], "ended in memory")
        XCTAssertEqual(try CallStore(db: db).load(id: id)?.status, .initiated, "not yet stored")
        XCTAssertTrue(loop.run(until: { self.published.count == 4 }, timeout: 2))
        XCTAssertEqual(published, ["1:initiated", "1:ringing", "1:answered", "1:completed"])
        XCTAssertEqual(try CallStore(db: db).load(id: id)?.status, .completed)
        XCTAssertEqual(manager.committer.commits, commitsBefore + 1)
    }

    func testAFullBatchCommitsWithoutWaiting() throws {
        var answers = 0
        for n in 1...4 { manager.startCall(body(n)) { if case .success = $0 { answers += 1 } } }
        XCTAssertEqual(answers, 4)
        XCTAssertEqual(try storedCount(), 4)
        XCTAssertEqual(manager.committer.commits, 1)
    }

    func testAFailedCommitKeepsNothingAndRestoresMemory() throws {
        let id = try XCTUnwrap(try? manager.startCall(body(1)).get()).id
        try Database(path: temp.path + "/ibrat.db", owner: nil).execute(
            "CREATE TRIGGER no_update BEFORE UPDATE ON calls BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;")
        var answer: Result<CallRecord, IPCError>?
        manager.startCall(body(2)) { answer = $0 }
        provider.report(id, .ringing)
        XCTAssertEqual(manager.active[id]?.status, .ringing)
        XCTAssertFalse(manager.committer.commit())
        XCTAssertEqual(answer?.failureValue?.status, 500, "the new call of the failed commit")
        XCTAssertNil(manager.active[Fixture.callId(2)])
        XCTAssertTrue(provider.placed.map(\.callId) == [id], "the failed call is not placed")
        XCTAssertEqual(manager.active[id]?.status, .initiated, "memory is what is stored")
        XCTAssertEqual(try storedCount(), 1, "the insert of the failed commit was rolled back")
        XCTAssertEqual(published, ["1:initiated"])

        try Database(path: temp.path + "/ibrat.db", owner: nil).execute("DROP TRIGGER no_update")
        XCTAssertTrue(loop.run(until: { self.published.count == 2 }, timeout: 2), "the report is retried")
        XCTAssertEqual(published, ["1:initiated", "1:ringing"])
        XCTAssertEqual(try CallStore(db: db).load(id: id)?.status, .ringing)
    }

    func testAnUpdateOrHangupCommitsWhatWaitsFirst() throws {
        let id = try XCTUnwrap(try? manager.startCall(body(1)).get()).id
        provider.report(id, .ringing)
        let ended = try XCTUnwrap(try? manager.hangup(callId: id).get())
        XCTAssertEqual(ended.status, .canceled)
        XCTAssertEqual(published, ["1:initiated", "1:ringing", "1:canceled"])
        XCTAssertEqual(try CallStore(db: db).load(id: id)?.status, .canceled)
    }
}
