import XCTest
@testable import Shared

final class PrometheusTextEncoderTests: XCTestCase {
    func testCounterAndGaugeInTextFormat() {
        let registry = MetricsRegistry()
        let requests = registry.counter("ibrat_requests_total", "Requests.", labels: ["route", "status"])
        requests.labels("/a", "200").inc()
        requests.labels("/a", "200").inc(2)
        requests.labels("/b", "404").inc()
        registry.gauge("ibrat_temperature", "Heat.").labels().set(-1.5)
        let text = PrometheusTextEncoder.encode(registry.snapshot(), format: .text)
        XCTAssertEqual(text, """
            # HELP ibrat_requests_total Requests.
            # TYPE ibrat_requests_total counter
            ibrat_requests_total{route="/a",status="200"} 3
            ibrat_requests_total{route="/b",status="404"} 1
            # HELP ibrat_temperature Heat.
            # TYPE ibrat_temperature gauge
            ibrat_temperature -1.5

            """)
    }

    func testHistogramBucketsAreCumulativeWithInfSumAndCount() {
        let registry = MetricsRegistry()
        let latency = registry.histogram("ibrat_latency_seconds", "Latency.", labels: ["peer"], buckets: [0.1, 1, 0.5])
        let child = latency.labels("q")
        for value in [0.05, 0.1, 0.3, 0.7, 2.0, 3.0] { child.observe(value) }
        let text = PrometheusTextEncoder.encode(registry.snapshot(), format: .text)
        XCTAssertEqual(text, """
            # HELP ibrat_latency_seconds Latency.
            # TYPE ibrat_latency_seconds histogram
            ibrat_latency_seconds_bucket{peer="q",le="0.1"} 2
            ibrat_latency_seconds_bucket{peer="q",le="0.5"} 3
            ibrat_latency_seconds_bucket{peer="q",le="1"} 4
            ibrat_latency_seconds_bucket{peer="q",le="+Inf"} 6
            ibrat_latency_seconds_sum{peer="q"} 6.15
            ibrat_latency_seconds_count{peer="q"} 6

            """)
    }

    func testEscapingOfLabelValuesAndHelp() {
        let family = MetricFamilySnapshot.gauge("ibrat_x", "Back\\slash and\nnewline \"quoted\"",
                                                [MetricSeries([("path", "a\\b\"c\nd")], 1)])
        let text = PrometheusTextEncoder.encode([family], format: .text)
        XCTAssertTrue(text.contains("# HELP ibrat_x Back\\\\slash and\\nnewline \"quoted\"\n"), text)
        XCTAssertTrue(text.contains("ibrat_x{path=\"a\\\\b\\\"c\\nd\"} 1\n"), text)
        let open = PrometheusTextEncoder.encode([family], format: .openMetrics)
        XCTAssertTrue(open.contains("# HELP ibrat_x Back\\\\slash and\\nnewline \\\"quoted\\\"\n"), open)
    }

    func testOpenMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEOF() {
        let registry = MetricsRegistry()
        registry.counter("ibrat_calls_total", "Calls.").labels().inc()
        registry.histogram("ibrat_wait_seconds", "Wait.", buckets: [1, 2.5]).labels().observe(2)
        let text = PrometheusTextEncoder.encode(registry.snapshot(), format: .openMetrics)
        XCTAssertEqual(text, """
            # HELP ibrat_calls Calls.
            # TYPE ibrat_calls counter
            ibrat_calls_total 1
            # HELP ibrat_wait_seconds Wait.
            # TYPE ibrat_wait_seconds histogram
            ibrat_wait_seconds_bucket{le="1.0"} 0
            ibrat_wait_seconds_bucket{le="2.5"} 1
            ibrat_wait_seconds_bucket{le="+Inf"} 1
            ibrat_wait_seconds_sum 2
            ibrat_wait_seconds_count 1
            # EOF

            """)
    }

    func testEmptyFamiliesAreLeftOut() {
        let registry = MetricsRegistry()
        _ = registry.counter("ibrat_unused_total", "Never touched.", labels: ["a"])
        XCTAssertEqual(PrometheusTextEncoder.encode(registry.snapshot(), format: .text), "")
        XCTAssertEqual(PrometheusTextEncoder.encode(registry.snapshot(), format: .openMetrics), "# EOF\n")
    }

    func testNumberFormatting() {
        let cases: [(Double, String)] = [(0, "0"), (42, "42"), (-3, "-3"), (0.25, "0.25"), (1e20, "1e+20"),
                                         (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN")]
        for (value, text) in cases { XCTAssertEqual(PrometheusTextEncoder.formatValue(value), text, "\(value)") }
    }

    /// Several histograms with different bounds in one exposition (the writer formats each distinct
    /// bounds array once), non-ASCII label values copied as they are, non-integral OpenMetrics bounds.
    func testHistogramsWithDifferentBoundsAndNonASCIILabels() {
        let registry = MetricsRegistry()
        let a = registry.histogram("ibrat_a_seconds", "A.", labels: ["who"], buckets: [0.5, 2])
        let b = registry.histogram("ibrat_b_seconds", "B.", labels: ["who", "site"], buckets: [1, 10])
        a.labels("Zoë").observe(1)
        b.labels("Ўктам", "Тошкент").observe(3)
        let c = registry.histogram("ibrat_c_seconds", "C.", buckets: [0.5, 2])  // a's bounds again, after b's
        c.labels().observe(0.25)
        let text = PrometheusTextEncoder.encode(registry.snapshot(), format: .text)
        XCTAssertTrue(text.contains("ibrat_c_seconds_bucket{le=\"0.5\"} 1\nibrat_c_seconds_bucket{le=\"2\"} 1\n"), text)
        XCTAssertEqual(PrometheusTextEncoder.encode(registry.snapshot().filter { $0.name != "ibrat_c_seconds" }, format: .text), """
            # HELP ibrat_a_seconds A.
            # TYPE ibrat_a_seconds histogram
            ibrat_a_seconds_bucket{who="Zoë",le="0.5"} 0
            ibrat_a_seconds_bucket{who="Zoë",le="2"} 1
            ibrat_a_seconds_bucket{who="Zoë",le="+Inf"} 1
            ibrat_a_seconds_sum{who="Zoë"} 1
            ibrat_a_seconds_count{who="Zoë"} 1
            # HELP ibrat_b_seconds B.
            # TYPE ibrat_b_seconds histogram
            ibrat_b_seconds_bucket{who="Ўктам",site="Тошкент",le="1"} 0
            ibrat_b_seconds_bucket{who="Ўктам",site="Тошкент",le="10"} 1
            ibrat_b_seconds_bucket{who="Ўктам",site="Тошкент",le="+Inf"} 1
            ibrat_b_seconds_sum{who="Ўктам",site="Тошкент"} 3
            ibrat_b_seconds_count{who="Ўктам",site="Тошкент"} 1

            """)
        let open = PrometheusTextEncoder.encode(registry.snapshot(), format: .openMetrics)
        XCTAssertTrue(open.contains("ibrat_c_seconds_bucket{le=\"0.5\"} 1\n"), open)
        XCTAssertTrue(open.contains("ibrat_b_seconds_bucket{who=\"Ўктам\",site=\"Тошкент\",le=\"10.0\"} 1\n"), open)
    }

    /// Sample values as the text format wants them: integers below 1e15 without a fraction, the
    /// rest in Swift's shortest round-trip form.
    func testSampleValuesInTheExposition() {
        let cases: [(Double, String)] = [(0, "0"), (-0.0, "0"), (-7, "-7"), (999_999_999_999_999, "999999999999999"),
                                         (1e15, "1000000000000000.0"), (0.1, "0.1"), (-2.5, "-2.5"), (.infinity, "+Inf"), (.nan, "NaN")]
        for (value, text) in cases {
            let family = MetricFamilySnapshot.gauge("ibrat_v", "V.", [MetricSeries([], value)])
            XCTAssertEqual(PrometheusTextEncoder.encode([family], format: .text),
                           "# HELP ibrat_v V.\n# TYPE ibrat_v gauge\nibrat_v \(text)\n", "\(value)")
        }
    }

    func testAcceptNegotiation() {
        let cases: [(String?, PrometheusTextEncoder.Format)] = [
            (nil, .text),
            ("text/plain", .text),
            ("*/*", .text),
            ("application/openmetrics-text; version=1.0.0", .openMetrics),
            ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
             + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
            ("Application/OpenMetrics-Text", .openMetrics),
            ("application/openmetrics-text;q=0, text/plain", .text),
        ]
        for (accept, format) in cases {
            XCTAssertEqual(PrometheusTextEncoder.Format.negotiate(accept: accept), format, accept ?? "nil")
        }
    }
}
