import Foundation
import Shared
import Synchronization
import XCTest
@testable import dialer_daemon

/// Start-up recovery (DESIGN §3 "Independent restarts"): calls a crashed dialer left live are
/// ended `failed` with `end_reason='restart'` before the socket exists and before READY.
final class DaemonRecoveryTests: XCTestCase {
    var harness: DaemonHarness!

    override func tearDown() { harness?.tearDown() }

    /// Records the moment of each recovery log line: whether the socket existed then.
    final class Timeline: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    private func seed(_ db: Database, _ n: Int, _ status: CallStatus, at time: Int64) throws {
        let call = CallRecord(id: Fixture.callId(n), leadId: Fixture.lead(n), operatorId: Fixture.operatorA,
                              mode: .automatic, status: status, from: "+15005550006", to: "+998901234567",
                              startTime: time, answerTime: status == .answered || status == .completed ? time + 1000 : nil,
                              endTime: status.isTerminal ? time + 9000 : nil, createdAt: time, updatedAt: time)
        try CallStore(db: db).insert(call)
    }

    func testLiveCallsLeftByACrashAreFailedWithReasonRestartBeforeTheServerAccepts() throws {
        let clock = ManualWallClock(now: 1_700_000_600_000)
        harness = try DaemonHarness(clock: clock)
        try Config.load(environment: harness.environment).ensureDirectories()
        let db = try Database(path: try harness.config.dbPath, owner: .dialer)
        try Schema.migrate(db, owner: .dialer, now: 0)
        let t0: Int64 = 1_700_000_000_000
        try seed(db, 1, .initiated, at: t0)
        try seed(db, 2, .ringing, at: t0)
        try seed(db, 3, .answered, at: t0)
        try seed(db, 4, .completed, at: t0)
        db.close()

        let timeline = Timeline()
        let socketPath = harness.socketPath
        let logger = Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .closure({ record in
            guard let callId = record.field("CALL_ID"), record.message.contains("ended as failed") else { return }
            timeline.add("\(callId) socket=\(FileManager.default.fileExists(atPath: socketPath))")
        }))
        var notified: [String] = []
        let notifier = ServiceNotifier(ready: { notified.append("READY \($0) after \(timeline.all.count)") },
                                       status: { _ in }, stopping: {})
        let daemon = DialerDaemon(config: try harness.config, loop: harness.loop, clock: clock,
                                  logger: logger, notifier: notifier)
        try daemon.start()
        defer { daemon.server?.stop() }

        XCTAssertEqual(timeline.all, (1...3).map { "\(Fixture.callId($0)) socket=false" })
        XCTAssertEqual(notified, ["READY 0 active calls, provider=simulation after 3"])
        let reader = try harness.readDB()
        for n in 1...3 {
            let row = try XCTUnwrap(reader.queryOne("SELECT * FROM calls WHERE id = ?", [.text(Fixture.callId(n))]))
            XCTAssertEqual(row.string("status"), "failed")
            XCTAssertEqual(row.string("end_reason"), "restart")
            XCTAssertEqual(row.string("error_message"), "Dialer restarted while the call was in progress")
            XCTAssertEqual(row.int("end_time"), clock.now)
            XCTAssertEqual(row.int("updated_at"), clock.now)
        }
        let untouched = try XCTUnwrap(reader.queryOne("SELECT * FROM calls WHERE id = ?", [.text(Fixture.callId(4))]))
        XCTAssertEqual(untouched.string("status"), "completed")
        XCTAssertEqual(untouched.int("end_time"), t0 + 9000)
        XCTAssertEqual(try CallStore(db: reader).liveCalls(), [])
        // The lead of a recovered call can be called again at once.
        XCTAssertNil(try CallStore(db: reader).liveCall(forLead: Fixture.lead(2)))
    }

    func testAKilledDaemonsLiveCallIsEndedByTheNextOne() throws {
        harness = try DaemonHarness(settings: DaemonHarness.longCalls)
        var first: DaemonHarness? = try DaemonHarness(settings: DaemonHarness.longCalls, dir: harness.dir)
        try first?.start()
        if let first {
            let client = first.connect()
            _ = first.call(first.request("dialer.start_call",
                                         first.startBody(callId: Fixture.callId(9), leadId: Fixture.lead(9)), on: client))
            XCTAssertEqual(first.statuses(of: Fixture.callId(9)), ["initiated"])
            client.stop()
        }
        // "kill -9": no shutdown, the objects simply go away (the socket file stays behind).
        first?.daemon?.server?.stop()
        first = nil
        XCTAssertEqual(try harness.row(Fixture.callId(9))?.string("status"), "initiated")

        try harness.start()
        let row = try XCTUnwrap(harness.row(Fixture.callId(9)))
        XCTAssertEqual(row.string("status"), "failed")
        XCTAssertEqual(row.string("end_reason"), "restart")
        let client = harness.connect()
        let status = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(status["activeCount"], 0)
    }
}
