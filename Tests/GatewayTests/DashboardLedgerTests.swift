import XCTest
@testable import Shared
@testable import api_gateway

/// `DashboardCallLedger` against the plain `GROUP BY operator_id` over all calls, through a
/// seeded random history of new live and ended calls, live calls ending (with talk time and
/// answer times), notes added to ended calls, folds and rebuilds; and the table shrinking.
final class DashboardLedgerTests: XCTestCase {
    var fx: CallSliceFixture!
    var lead = ""
    var operators: [String?] = []

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        lead = try fx.lead()
        operators = [try fx.user("Ann").id, try fx.user("Ben").id, try fx.user("Cid").id, nil]
    }

    override func tearDown() { fx = nil }

    func truth() throws -> [String: CallFigures] {
        try DashboardCallLedger.grouped(fx.dialerDB, "1", [], scan: true)
    }

    func liveCalls() throws -> [String] {
        try fx.dialerDB.query("SELECT id FROM calls WHERE status IN \(DashboardCallLedger.liveStatuses) ORDER BY id")
            .map { $0.string(at: 0) }
    }

    func testMatchesAFullAggregateThroughARandomHistory() throws {
        var random = SeededRandom(seed: 42)
        var ledger = DashboardCallLedger(foldThreshold: 4, rebuildInterval: 50_000_000)
        let reader = try Database(path: fx.ctx.db.path, owner: nil, readOnly: true)
        var clock: UInt64 = 1
        let finals: [CallStatus] = [.completed, .busy, .noAnswer, .failed, .canceled]
        for step in 0..<300 {
            let op = operators[Int.random(in: 0..<operators.count, using: &random)]
            let at = CallSliceFixture.now - Int64(300 - step) * 1000
            switch Int.random(in: 0..<10, using: &random) {
            case 0...2:
                let status: CallStatus = [.initiated, .ringing, .answered][Int.random(in: 0..<3, using: &random)]
                try fx.call(lead: lead, operator: op, status: status, createdAt: at)
            case 3...4:
                let status = finals[Int.random(in: 0..<finals.count, using: &random)]
                try fx.call(lead: lead, operator: op, status: status, createdAt: at,
                            duration: status == .completed ? Int64.random(in: 1...600, using: &random) : 0)
            case 5...7:
                let live = try liveCalls()
                guard !live.isEmpty else { break }
                let id = live[Int.random(in: 0..<live.count, using: &random)]
                let status = finals[Int.random(in: 0..<finals.count, using: &random)]
                try fx.dialerDB.run("""
                    UPDATE calls SET status = ?, duration = ?, answer_time = coalesce(answer_time, ?), end_time = ?
                    WHERE id = ?
                    """, [.text(status.rawValue), .int(status == .completed ? Int64.random(in: 1...600, using: &random) : 0),
                          status == .completed ? .int(at) : .null, .int(at), .text(id)])
            default:
                try fx.dialerDB.run("UPDATE calls SET notes = 'later' WHERE rowid = (SELECT max(rowid) FROM calls "
                                    + "WHERE status IN \(DashboardCallLedger.finalStatuses))")
            }
            clock += UInt64.random(in: 0...1_000_000, using: &random)
            if step % 3 == 0 {
                XCTAssertEqual(try ledger.figures(reader, nowMicros: clock), try truth(), "step \(step)")
            }
        }
        XCTAssertEqual(try ledger.figures(reader, nowMicros: clock), try truth())
        XCTAssertGreaterThan(ledger.folds, 5)
        XCTAssertGreaterThan(ledger.rebuilds, 1)
        XCTAssertFalse(ledger.pending.isEmpty || ledger.closed.isEmpty)
    }

    func testRefreshReadsOnlyNewAndLiveCallsThenFolds() throws {
        var ledger = DashboardCallLedger(foldThreshold: 2)
        try fx.call(lead: lead, operator: operators[0], status: .completed, createdAt: CallSliceFixture.now - 9000, duration: 5)
        let live = try fx.call(lead: lead, operator: operators[1], status: .ringing, createdAt: CallSliceFixture.now - 8000)
        XCTAssertEqual(try ledger.figures(fx.dialerDB, nowMicros: 1)[operators[0]!]?.total, 1)
        XCTAssertEqual(ledger.rebuilds, 1)
        XCTAssertEqual(ledger.pending.count, 1)
        try fx.dialerDB.run("UPDATE calls SET status = 'completed', duration = 30, answer_time = 1 WHERE id = ?", [.text(live)])
        for n in 0..<3 {
            try fx.call(lead: lead, operator: nil, status: .busy, createdAt: CallSliceFixture.now - 7000 + Int64(n))
        }
        let figures = try ledger.figures(fx.dialerDB, nowMicros: 2)
        XCTAssertEqual(figures[operators[1]!], CallFigures(total: 1, answered: 1, completed: 1, duration: 30))
        XCTAssertEqual(figures[""]?.total, 3)
        XCTAssertEqual(ledger.folds, 1)
        XCTAssertEqual(ledger.rebuilds, 1)
        XCTAssertTrue(ledger.pending.isEmpty)
        XCTAssertEqual(figures, try truth())
    }

    func testATableThatShrankIsRebuilt() throws {
        var ledger = DashboardCallLedger()
        try fx.call(lead: lead, operator: nil, status: .busy, createdAt: CallSliceFixture.now)
        try fx.call(lead: lead, operator: nil, status: .busy, createdAt: CallSliceFixture.now + 1)
        XCTAssertEqual(try ledger.figures(fx.dialerDB, nowMicros: 1)[""]?.total, 2)
        try fx.dialerDB.run("DELETE FROM calls WHERE rowid = (SELECT max(rowid) FROM calls)")
        XCTAssertEqual(try ledger.figures(fx.dialerDB, nowMicros: 2)[""]?.total, 1)
        XCTAssertEqual(ledger.rebuilds, 2)
    }
}
