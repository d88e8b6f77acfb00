import Glibc
import XCTest
@testable import Shared

final class ProcessFiguresTests: XCTestCase {
    /// The memory and descriptor gauges are read again only once the last reading is
    /// `maxAgeMicros` old; within that age every scrape gets the same reading.
    func testGaugesAreReReadOnlyWhenOlderThanTheMaxAge() {
        var now: UInt64 = 1_000_000
        var served = 0
        let figures = ProcessFigures(clock: { now }, read: {
            served += 1
            return ProcessFigures.Gauges(residentBytes: Double(served), openFileDescriptors: served, maxFileDescriptors: 1024)
        })
        let age = ProcessFigures.maxAgeMicros
        let steps: [(advance: UInt64, readings: Int, rss: Double)] = [
            (0, 1, 1),            // first scrape reads
            (1, 1, 1),            // a microsecond later: cached
            (age - 2, 1, 1),      // just under the max age: cached
            (1, 2, 2),            // exactly the max age: read again
            (age / 2, 2, 2),
            (age, 3, 3),
        ]
        for (index, step) in steps.enumerated() {
            now += step.advance
            let gauges = figures.gauges()
            XCTAssertEqual(figures.readings, step.readings, "step \(index)")
            XCTAssertEqual(gauges.residentBytes, step.rss, "step \(index)")
        }
    }

    func testRealReadingsLookLikeThisProcess() {
        let gauges = ProcessFigures.readGauges()
        XCTAssertGreaterThan(gauges.residentBytes ?? 0, 1_000_000)
        XCTAssertGreaterThanOrEqual(gauges.openFileDescriptors ?? 0, 3)
        XCTAssertGreaterThan(gauges.maxFileDescriptors ?? 0, 0)
        let figures = ProcessFigures()
        let now = Double(time(nil))
        XCTAssertLessThanOrEqual(figures.startTimeSeconds ?? 0, now + 1)
        XCTAssertGreaterThan(figures.startTimeSeconds ?? 0, now - 86_400 * 7)
    }

    /// CPU time is read on every scrape: work done between two scrapes shows in the second one.
    func testCPUSecondsAreCurrentOnEveryCall() throws {
        let before = try XCTUnwrap(ProcessFigures.cpuSeconds())
        var x: UInt64 = 1
        let started = MonotonicClock.micros()
        while MonotonicClock.micros() - started < 30_000 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
        XCTAssertNotEqual(x, 0)
        let after = try XCTUnwrap(ProcessFigures.cpuSeconds())
        XCTAssertGreaterThan(after, before)
    }

    /// The collector's families: CPU, memory, descriptors, start time, build and up, one `daemon` label each.
    func testFamiliesCarryTheDaemonLabel() {
        let figures = ProcessFigures(clock: { 0 }, read: {
            ProcessFigures.Gauges(residentBytes: 2_048, openFileDescriptors: 7, maxFileDescriptors: 1_024)
        })
        let families = ProcessMetrics.families(daemon: "queue-daemon", figures: figures)
        let byName = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })
        XCTAssertEqual(byName["ibrat_process_resident_memory_bytes"]?.series.first?.value, .scalar(2_048))
        XCTAssertEqual(byName["ibrat_process_open_fds"]?.series.first?.value, .scalar(7))
        XCTAssertEqual(byName["ibrat_process_max_fds"]?.series.first?.value, .scalar(1_024))
        XCTAssertNotNil(byName["ibrat_process_cpu_seconds_total"])
        XCTAssertNotNil(byName["ibrat_process_start_time_seconds"])
        for family in families {
            XCTAssertEqual(family.series.first?.labels.first, MetricLabel("daemon", "queue-daemon"), family.name)
        }
    }
}
