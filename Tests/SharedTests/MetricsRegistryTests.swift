import XCTest
@testable import Shared

final class MetricsRegistryTests: XCTestCase {
    func testCounterNeverGoesDown() {
        let counter = Counter()
        counter.inc()
        counter.inc(-5)
        counter.inc(0.5)
        XCTAssertEqual(counter.value, 1.5)
    }

    func testHistogramBucketEdgesAreInclusiveAndNaNIgnored() {
        let histogram = Histogram(bounds: [1, 0.5, 1, .infinity])
        XCTAssertEqual(histogram.bounds, [0.5, 1])
        for value in [0.5, 1, 1.0000001, -2, .nan] { histogram.observe(value) }
        let snapshot = histogram.snapshot
        XCTAssertEqual(snapshot.cumulativeCounts, [2, 3])
        XCTAssertEqual(snapshot.count, 4)
        XCTAssertEqual(snapshot.sum, 0.5 + 1 + 1.0000001 - 2, accuracy: 1e-9)
    }

    func testChildrenAreKeptPerLabelValuesInFirstUseOrder() {
        let registry = MetricsRegistry()
        let family = registry.gauge("ibrat_things", "Things.", labels: ["kind"])
        family.labels("b").set(2)
        family.labels("a").set(1)
        XCTAssertTrue(family.labels("b") === family.labels("b"))
        XCTAssertEqual(family.snapshot.series.map { $0.labels[0].value }, ["b", "a"])
    }

    func testCollectorsRunAtSnapshotTimeAfterRegisteredFamilies() {
        let registry = MetricsRegistry()
        var calls = 0
        registry.addCollector {
            calls += 1
            return [.gauge("ibrat_collected", "Collected.", [MetricSeries([], Double(calls))])]
        }
        registry.counter("ibrat_events_total", "Events.").labels().inc()
        XCTAssertEqual(calls, 0)
        let names = registry.snapshot().map(\.name)
        XCTAssertEqual(names, ["ibrat_events_total", "ibrat_collected"])
        XCTAssertEqual(calls, 1)
    }

    func testSnapshotJSONRoundTrip() {
        let registry = MetricsRegistry()
        registry.counter("ibrat_calls_total", "Calls \"by\" status.", labels: ["status"]).labels("no-answer").inc(3)
        registry.gauge("ibrat_ratio", "Ratio.").labels().set(0.125)
        let histogram = registry.histogram("ibrat_wait_seconds", "Wait.", labels: ["priority"], buckets: [1, 10])
        histogram.labels("urgent").observe(0.5)
        histogram.labels("urgent").observe(20)
        let families = registry.snapshot()
        let body = MetricSnapshotJSON.encode(families)
        let reparsed = try! JSON.parse(JSON.object(body).serialized())
        XCTAssertEqual(MetricSnapshotJSON.decode(reparsed.object!), families)
    }

    func testDecodeSkipsMalformedFamiliesAndSeries() throws {
        let text = """
            {"families":[
              {"name":"9bad","help":"","type":"gauge","series":[{"labels":{},"value":1}]},
              {"name":"ibrat_ok","help":"h","type":"gauge","series":[
                 {"labels":{"a":"x"},"value":1},{"labels":{"a":2},"value":1},{"labels":{"le":"1"},"value":1},
                 {"labels":{},"value":"x"}]},
              {"name":"ibrat_kind","help":"","type":"summary","series":[]},
              {"name":"ibrat_h","help":"","type":"histogram","series":[{"labels":{},"bounds":[1],"counts":[1,2],"sum":1,"count":2}]}
            ]}
            """
        let decoded = MetricSnapshotJSON.decode(try JSON.parse(text).object!)
        XCTAssertEqual(decoded.map(\.name), ["ibrat_ok", "ibrat_h"])
        XCTAssertEqual(decoded[0].series, [MetricSeries([("a", "x")], 1)])
        XCTAssertEqual(decoded[1].series, [])
    }

    func testMergeJoinsFamiliesOfTheSameNameAndDropsTypeClashes() {
        let a = MetricFamilySnapshot.gauge("ibrat_up", "Up.", [MetricSeries([("daemon", "a")], 1)])
        let b = MetricFamilySnapshot.gauge("ibrat_up", "Up.", [MetricSeries([("daemon", "b")], 0)])
        let clash = MetricFamilySnapshot.counter("ibrat_up", "Up.", [MetricSeries([("daemon", "c")], 1)])
        let other = MetricFamilySnapshot.gauge("ibrat_other", "Other.", [MetricSeries([], 1)])
        let merged = MetricSnapshotJSON.merge([a, other, b, clash])
        XCTAssertEqual(merged.map(\.name), ["ibrat_up", "ibrat_other"])
        XCTAssertEqual(merged[0].series.map { $0.labels[0].value }, ["a", "b"])
    }

    func testProcessFiguresAreReadFromProc() {
        let families = ProcessMetrics.families(daemon: "test")
        let byName = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })
        for name in ["ibrat_daemon_up", "ibrat_build_info", "ibrat_process_cpu_seconds_total",
                     "ibrat_process_resident_memory_bytes", "ibrat_process_open_fds", "ibrat_process_start_time_seconds"] {
            XCTAssertNotNil(byName[name], name)
        }
        guard case .scalar(let rss) = byName["ibrat_process_resident_memory_bytes"]?.series.first?.value,
              case .scalar(let fds) = byName["ibrat_process_open_fds"]?.series.first?.value,
              case .scalar(let start) = byName["ibrat_process_start_time_seconds"]?.series.first?.value else {
            return XCTFail("missing values")
        }
        XCTAssertGreaterThan(rss, 1_000_000)
        XCTAssertGreaterThanOrEqual(fds, 3)
        let now = Double(SystemWallClock().nowMillis()) / 1000
        XCTAssertLessThanOrEqual(start, now + 1)
        XCTAssertGreaterThan(start, now - 86_400)
        XCTAssertEqual(byName["ibrat_build_info"]?.series.first?.labels,
                       [MetricLabel("daemon", "test"), MetricLabel("version", BuildInfo.version)])
    }
}
