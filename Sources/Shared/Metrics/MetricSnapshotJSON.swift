/// Metric families as JSON, for a daemon's `queue.metrics` / `dialer.metrics` reply (docs/IPC.md):
/// `{"families":[{"name","help","type","series":[{"labels":{"k":"v"},"value":n}` or, for a
/// histogram, `{"labels",{...},"bounds":[...],"counts":[cumulative...],"sum":s,"count":n}]}]}`.
/// Decoding skips anything malformed (a family with a bad name or type, a series with a
/// non-string label) rather than failing the whole scrape; `+Inf` is implicit (`count`).
public enum MetricSnapshotJSON {
    public static func encode(_ families: [MetricFamilySnapshot]) -> JSONObject {
        let list: [JSON] = families.map { family in
            .object(JSONObject([
                ("name", .string(family.name)), ("help", .string(family.help)), ("type", .string(family.type.rawValue)),
                ("series", .array(family.series.map(encode))),
            ]))
        }
        return JSONObject([("families", .array(list))])
    }

    private static func encode(_ series: MetricSeries) -> JSON {
        var object = JSONObject([("labels", .object(JSONObject(series.labels.map { ($0.name, JSON.string($0.value)) })))])
        switch series.value {
        case .scalar(let value):
            object["value"] = number(value)
        case .histogram(let histogram):
            object["bounds"] = .array(histogram.bounds.map(number))
            object["counts"] = .array(histogram.cumulativeCounts.map { .int(Int64(clamping: $0)) })
            object["sum"] = number(histogram.sum)
            object["count"] = .int(Int64(clamping: histogram.count))
        }
        return .object(object)
    }

    private static func number(_ value: Double) -> JSON {
        if value == value.rounded(), abs(value) < 9e15 { return .int(Int64(value)) }
        return value.isFinite ? .double(value) : .int(0)
    }

    public static func decode(_ body: JSONObject) -> [MetricFamilySnapshot] {
        guard let list = body["families"]?.array else { return [] }
        return list.compactMap { item -> MetricFamilySnapshot? in
            guard let object = item.object, let name = object["name"]?.string, isValidName(name),
                  let type = object["type"]?.string.flatMap(MetricType.init(rawValue:)) else { return nil }
            let series = (object["series"]?.array ?? []).compactMap { decodeSeries($0, type: type) }
            return MetricFamilySnapshot(name: name, help: object["help"]?.string ?? "", type: type, series: series)
        }
    }

    private static func decodeSeries(_ item: JSON, type: MetricType) -> MetricSeries? {
        guard let object = item.object else { return nil }
        var labels: [MetricLabel] = []
        for (name, value) in object["labels"]?.object ?? JSONObject() {
            guard isValidName(name), name != "le", let text = value.string else { return nil }
            labels.append(MetricLabel(name, text))
        }
        if type == .histogram {
            guard let bounds = object["bounds"]?.array?.compactMap(\.double),
                  let counts = object["counts"]?.array?.compactMap(\.int), bounds.count == counts.count,
                  let sum = object["sum"]?.double, let count = object["count"]?.int else { return nil }
            return MetricSeries(labels: labels, value: .histogram(HistogramSnapshot(
                bounds: bounds, cumulativeCounts: counts.map { UInt64(max(0, $0)) }, sum: sum, count: UInt64(max(0, count)))))
        }
        guard let value = object["value"]?.double else { return nil }
        return MetricSeries(labels: labels, value: .scalar(value))
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*` (no colons: those are for recording rules).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// Families with the same name (the `ibrat_process_*` figures of each daemon) become one
    /// family, series in order of arrival; a later family whose type differs is dropped.
    public static func merge(_ families: [MetricFamilySnapshot]) -> [MetricFamilySnapshot] {
        var merged: [MetricFamilySnapshot] = []
        var index: [String: Int] = [:]
        for family in families {
            if let at = index[family.name] {
                if merged[at].type == family.type { merged[at].series += family.series }
            } else {
                index[family.name] = merged.count
                merged.append(family)
            }
        }
        return merged
    }
}
