/// Writes metric families in the Prometheus text exposition format 0.0.4 or in OpenMetrics 1.0
/// (`# EOF` terminated; counter families named without `_total`, samples with it). Families with no
/// series are left out. Label values escape `\`, `"` and newlines; help text escapes `\` and
/// newlines (and `"` in OpenMetrics). Numbers: integral values as integers, else Swift's shortest
/// round-trip form, `+Inf`, `-Inf`, `NaN`.
public enum PrometheusTextEncoder {
    public enum Format: Equatable, Sendable {
        case text
        case openMetrics

        public var contentType: String {
            switch self {
            case .text: return "text/plain; version=0.0.4; charset=utf-8"
            case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
            }
        }

        /// OpenMetrics when the `Accept` header lists `application/openmetrics-text` without `q=0`.
        public static func negotiate(accept: String?) -> Format {
            guard let accept else { return .text }
            for range in accept.lowercased().split(separator: ",") {
                let parts = range.split(separator: ";").map { $0.trimmingASCIISpaces() }
                guard parts.first == "application/openmetrics-text" else { continue }
                let refused = parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
                if !refused { return .openMetrics }
            }
            return .text
        }
    }

    public static func encode(_ families: [MetricFamilySnapshot], format: Format) -> String {
        String(decoding: encodeBytes(families, format: format), as: UTF8.self)
    }

    /// The exposition as UTF-8 bytes, written straight into one buffer (issue 15: a scrape's text is
    /// built byte by byte, with no intermediate strings per sample).
    public static func encodeBytes(_ families: [MetricFamilySnapshot], format: Format) -> [UInt8] {
        var out = PrometheusTextWriter(format: format, capacity: families.count * 512)
        for family in families where !family.series.isEmpty {
            let familyName = format == .openMetrics && family.type == .counter && family.name.hasSuffix("_total")
                ? String(family.name.dropLast("_total".count)) : family.name
            out.literal("# HELP ")
            out.raw(familyName)
            out.byte(UInt8(ascii: " "))
            out.help(family.help)
            out.literal("\n# TYPE ")
            out.raw(familyName)
            out.byte(UInt8(ascii: " "))
            out.raw(family.type.rawValue)
            out.byte(UInt8(ascii: "\n"))
            for series in family.series {
                switch series.value {
                case .scalar(let value):
                    out.sample(family.name, suffix: "", series.labels, value)
                case .histogram(let histogram):
                    out.histogram(family.name, series.labels, histogram)
                }
            }
        }
        if format == .openMetrics { out.literal("# EOF\n") }
        return out.bytes
    }

    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A bucket bound: `0.005`, and integral bounds as `1` (text) or `1.0` (OpenMetrics, which wants floats).
    static func formatBound(_ bound: Double, format: Format) -> String {
        if format == .openMetrics, bound == bound.rounded(), abs(bound) < 1e15 { return "\(Int64(bound)).0" }
        return formatValue(bound)
    }
}

extension Substring {
    fileprivate func trimmingASCIISpaces() -> String {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
