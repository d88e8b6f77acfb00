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
        var out = ""
        out.reserveCapacity(families.count * 256)
        for family in families where !family.series.isEmpty {
            let familyName = format == .openMetrics && family.type == .counter && family.name.hasSuffix("_total")
                ? String(family.name.dropLast("_total".count)) : family.name
            out += "# HELP \(familyName) \(escapeHelp(family.help, format: format))\n"
            out += "# TYPE \(familyName) \(family.type.rawValue)\n"
            for series in family.series {
                switch series.value {
                case .scalar(let value):
                    sample(&out, family.name, series.labels, nil, value)
                case .histogram(let histogram):
                    for (bound, count) in zip(histogram.bounds, histogram.cumulativeCounts) {
                        sample(&out, family.name + "_bucket", series.labels, ("le", formatBound(bound, format: format)),
                               Double(count))
                    }
                    sample(&out, family.name + "_bucket", series.labels, ("le", "+Inf"), Double(histogram.count))
                    sample(&out, family.name + "_sum", series.labels, nil, histogram.sum)
                    sample(&out, family.name + "_count", series.labels, nil, Double(histogram.count))
                }
            }
        }
        if format == .openMetrics { out += "# EOF\n" }
        return out
    }

    private static func sample(_ out: inout String, _ name: String, _ labels: [MetricLabel],
                               _ extra: (String, String)?, _ value: Double) {
        out += name
        if !labels.isEmpty || extra != nil {
            out += "{"
            var first = true
            for label in labels {
                if !first { out += "," }
                first = false
                out += "\(label.name)=\"\(escapeLabel(label.value))\""
            }
            if let extra {
                if !first { out += "," }
                out += "\(extra.0)=\"\(extra.1)\""
            }
            out += "}"
        }
        out += " \(formatValue(value))\n"
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

    public static func escapeLabel(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    static func escapeHelp(_ text: String, format: Format) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where format == .openMetrics: out += "\\\""
            default: out.append(character)
            }
        }
        return out
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
