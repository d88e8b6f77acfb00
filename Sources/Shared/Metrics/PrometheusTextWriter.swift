/// The byte buffer `PrometheusTextEncoder` writes an exposition into (issue 15: the cost of a
/// scrape). Names and label names are ASCII by construction (`MetricSnapshotJSON.isValidName`) and
/// are copied as they are; label values and help text are scanned once for the bytes that need
/// escaping and copied whole when there are none (nearly always). Numbers that are integral print
/// their digits directly; the rest use `PrometheusTextEncoder.formatValue`. A histogram's bucket
/// bounds are formatted once per distinct bounds array, not once per series.
struct PrometheusTextWriter {
    private(set) var bytes: [UInt8] = []
    let format: PrometheusTextEncoder.Format
    /// The last bounds array formatted, and its `le` values.
    private var lastBounds: [Double] = []
    private var lastBoundTexts: [[UInt8]] = []

    init(format: PrometheusTextEncoder.Format, capacity: Int) {
        self.format = format
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) mutating func byte(_ value: UInt8) { bytes.append(value) }

    @inline(__always) mutating func literal(_ text: StaticString) {
        JSONSerializer.appendLiteral(text, into: &bytes)
    }

    /// Text that needs no escaping (names, types).
    @inline(__always) mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Help text: `\` and newlines escaped, and `"` too in OpenMetrics.
    mutating func help(_ text: String) {
        escaped(text, quote: format == .openMetrics)
    }

    /// One sample line: `name[suffix]{labels[,extra]} value`.
    mutating func sample(_ name: String, suffix: StaticString, _ labels: [MetricLabel], _ value: Double,
                         extra: (name: StaticString, value: [UInt8])? = nil) {
        raw(name)
        literal(suffix)
        if !labels.isEmpty || extra != nil {
            byte(UInt8(ascii: "{"))
            var first = true
            for label in labels {
                if !first { byte(UInt8(ascii: ",")) }
                first = false
                raw(label.name)
                literal("=\"")
                escaped(label.value, quote: true)
                byte(UInt8(ascii: "\""))
            }
            if let extra {
                if !first { byte(UInt8(ascii: ",")) }
                literal(extra.name)
                literal("=\"")
                bytes.append(contentsOf: extra.value)
                byte(UInt8(ascii: "\""))
            }
            byte(UInt8(ascii: "}"))
        }
        byte(UInt8(ascii: " "))
        number(value)
        byte(UInt8(ascii: "\n"))
    }

    /// The `_bucket` lines (cumulative, `+Inf` last), `_sum` and `_count` of one histogram series.
    mutating func histogram(_ name: String, _ labels: [MetricLabel], _ histogram: HistogramSnapshot) {
        if histogram.bounds != lastBounds {
            lastBounds = histogram.bounds
            lastBoundTexts = histogram.bounds.map { Array(PrometheusTextEncoder.formatBound($0, format: format).utf8) }
        }
        for (index, count) in histogram.cumulativeCounts.enumerated() where index < lastBoundTexts.count {
            sample(name, suffix: "_bucket", labels, Double(count), extra: ("le", lastBoundTexts[index]))
        }
        sample(name, suffix: "_bucket", labels, Double(histogram.count), extra: ("le", Self.infinity))
        sample(name, suffix: "_sum", labels, histogram.sum)
        sample(name, suffix: "_count", labels, Double(histogram.count))
    }

    private static let infinity = Array("+Inf".utf8)

    /// Integral values below 1e15 as integers, written digit by digit; the rest as the encoder says.
    private mutating func number(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            JSONSerializer.writeInt(Int64(value), into: &bytes)
        } else {
            raw(PrometheusTextEncoder.formatValue(value))
        }
    }

    /// `text` with `\` → `\\`, newline → `\n` and, when `quote`, `"` → `\"`.
    private mutating func escaped(_ text: String, quote: Bool) {
        let utf8 = text.utf8
        let needsEscaping = utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quote && $0 == UInt8(ascii: "\"")) }
        guard needsEscaping else { return bytes.append(contentsOf: utf8) }
        for unit in utf8 {
            switch unit {
            case UInt8(ascii: "\\"): literal("\\\\")
            case UInt8(ascii: "\n"): literal("\\n")
            case UInt8(ascii: "\"") where quote: literal("\\\"")
            default: byte(unit)
            }
        }
    }
}
