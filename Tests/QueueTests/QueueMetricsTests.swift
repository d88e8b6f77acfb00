import XCTest
import Shared
@testable import queue_daemon

/// `queue.metrics`: the dispatcher's figures as the gateway receives them over IPC.
final class QueueMetricsTests: XCTestCase {
    private func value(_ families: [MetricFamilySnapshot], _ name: String, _ labels: [String: String] = [:]) -> MetricValue? {
        families.first { $0.name == name }?.series.first { series in
            labels.allSatisfy { key, value in series.labels.contains(MetricLabel(key, value)) }
        }?.value
    }

    func testDispatchFiguresOverIPC() throws {
        let h = try DispatchHarness()
        QueueMetrics.install(on: h.daemon, dispatcher: h.dispatcher)
        try h.addOperator()
        try h.addOperator(available: false)
        let lead = h.lead(.urgent)
        h.waitForStarts(1)
        XCTAssertEqual(h.status(lead), "calling")

        let families = MetricSnapshotJSON.decode(h.ok(QueueCommand.metrics.rawValue, [:]))
        XCTAssertEqual(value(families, "ibrat_dispatch_decisions_total", ["priority": "urgent"]), .scalar(1))
        XCTAssertEqual(value(families, "ibrat_dispatch_decisions_total", ["priority": "low"]), .scalar(0))
        XCTAssertEqual(value(families, "ibrat_sla_misses_total", ["priority": "urgent"]), .scalar(0))
        guard case .histogram(let wait)? = value(families, "ibrat_dispatch_due_to_dial_seconds", ["priority": "urgent"]) else {
            return XCTFail("no due-to-dial histogram")
        }
        XCTAssertEqual(wait.count, 1)
        XCTAssertEqual(value(families, "ibrat_lines", ["state": "max"]), .scalar(2))
        XCTAssertEqual(value(families, "ibrat_lines", ["state": "busy"]), .scalar(1))
        XCTAssertEqual(value(families, "ibrat_operators", ["state": "on_call"]), .scalar(1))
        XCTAssertEqual(value(families, "ibrat_operators", ["state": "unavailable"]), .scalar(1))
        XCTAssertEqual(value(families, "ibrat_operators", ["state": "free"]), .scalar(0))
        XCTAssertEqual(value(families, "ibrat_queue_paused"), .scalar(0))
        XCTAssertEqual(value(families, "ibrat_daemon_up", ["daemon": "queue-daemon"]), .scalar(1))
        XCTAssertEqual(value(families, "ibrat_ipc_requests_total", ["peer": "dialer-daemon", "outcome": "ok"]).map { _ in true },
                       true)
    }

    func testAbandonRateAndPacingFigures() throws {
        let h = try DispatchHarness()
        QueueMetrics.install(on: h.daemon, dispatcher: h.dispatcher)
        let now = h.dispatcher.clock.nowMillis()
        let day = AbandonRateWindow.millisPerDay
        var families = MetricSnapshotJSON.decode(h.ok(QueueCommand.metrics.rawValue, [:]))
        XCTAssertEqual(value(families, "ibrat_abandon_rate", ["window": "day"]), .scalar(0), "0 before any answer")
        XCTAssertEqual(value(families, "ibrat_abandon_rate_cap"), .scalar(h.daemon.settings.current.maxAbandonRate))
        XCTAssertEqual(value(families, "ibrat_pacing_dial_level"), .scalar(0), "no staffed operator")
        XCTAssertEqual(value(families, "ibrat_pacing_predictive", ["setting": "configured"]), .scalar(0))

        // 40 answers 10 days ago with 2 abandoned, 10 answers today with 1 abandoned.
        let abandons = h.dispatcher.pacing
        for i in 0..<40 { abandons.abandons.recordAnswered(at: now - 10 * day, now: now); if i < 2 {
            abandons.abandons.recordAbandoned(answeredAt: now - 10 * day, now: now) } }
        for i in 0..<10 { abandons.abandons.recordAnswered(at: now, now: now); if i < 1 {
            abandons.abandons.recordAbandoned(answeredAt: now, now: now) } }
        families = MetricSnapshotJSON.decode(h.ok(QueueCommand.metrics.rawValue, [:]))
        XCTAssertEqual(value(families, "ibrat_abandon_rate", ["window": "day"]), .scalar(0.1))
        XCTAssertEqual(value(families, "ibrat_abandon_rate", ["window": "30d"]), .scalar(0.06))
        XCTAssertEqual(value(families, "ibrat_answered_calls", ["window": "30d"]), .scalar(50))
        XCTAssertEqual(value(families, "ibrat_abandoned_calls", ["window": "day"]), .scalar(1))
    }

    func testDueToDialIsMeasuredFromTheLeadBecomingDue() {
        let scheduler = LeadScheduler()
        let now: Int64 = 1_000_000
        scheduler.upsert(SchedulerEntry(id: "a", priority: .high, createdAt: now - 90_000))
        scheduler.upsert(SchedulerEntry(id: "b", priority: .high, createdAt: now - 90_000, nextCallTime: now - 3_000))
        XCTAssertNotNil(scheduler.popNext(now: now))
        XCTAssertNotNil(scheduler.popNext(now: now))
        let wait = scheduler.dueToDial[LeadPriority.high.rank].snapshot
        XCTAssertEqual(wait.count, 2)
        XCTAssertEqual(wait.sum, 93, accuracy: 0.001)
        XCTAssertEqual(scheduler.dueToDial[LeadPriority.urgent.rank].snapshot.count, 0)
    }

    func testOperatorStates() {
        let pool = OperatorPool()
        pool.restore(OperatorState(id: "free"))
        pool.restore(OperatorState(id: "away", isAvailable: false))
        pool.restore(OperatorState(id: "gone", isActive: false))
        pool.restore(OperatorState(id: "busy"))
        var wrapping = OperatorState(id: "wrapping")
        wrapping.wrapUp = WrapUp(callId: "c0", until: 5_000)
        pool.restore(wrapping)
        XCTAssertTrue(pool.reserve("busy", callId: "c1", at: 0))
        let counts = pool.stateCounts
        XCTAssertEqual([counts.free, counts.onCall, counts.wrapUp, counts.unavailable, counts.inactive], [1, 1, 1, 1, 1])
    }
}
