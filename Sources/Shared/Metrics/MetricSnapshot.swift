/// A point-in-time copy of metric families, independent of the live registry: what the encoder
/// writes, what a daemon sends to the gateway over IPC (`MetricSnapshotJSON`), and what the
/// gateway merges (`MetricSnapshotMerge`) before answering `GET /metrics`.

/// The Prometheus metric types this code produces.
public enum MetricType: String, Sendable, Equatable {
    case counter
    case gauge
    case histogram
}

/// One label pair of a series.
public struct MetricLabel: Equatable, Sendable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A histogram's state: `bounds` are the finite upper bounds in increasing order and
/// `cumulativeCounts[i]` the observations `<= bounds[i]`; the `+Inf` bucket is `count`.
public struct HistogramSnapshot: Equatable, Sendable {
    public var bounds: [Double]
    public var cumulativeCounts: [UInt64]
    public var sum: Double
    public var count: UInt64

    public init(bounds: [Double], cumulativeCounts: [UInt64], sum: Double, count: UInt64) {
        self.bounds = bounds
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
        self.count = count
    }
}

/// The value of one series: a number (counter, gauge) or a histogram.
public enum MetricValue: Equatable, Sendable {
    case scalar(Double)
    case histogram(HistogramSnapshot)
}

/// One labelled series of a family.
public struct MetricSeries: Equatable, Sendable {
    public var labels: [MetricLabel]
    public var value: MetricValue

    public init(labels: [MetricLabel], value: MetricValue) {
        self.labels = labels
        self.value = value
    }

    /// A counter or gauge series.
    public init(_ labels: [(String, String)], _ value: Double) {
        self.init(labels: labels.map { MetricLabel($0.0, $0.1) }, value: .scalar(value))
    }
}

/// A metric family: its name (counters end in `_total`), help text, type and series.
public struct MetricFamilySnapshot: Equatable, Sendable {
    public var name: String
    public var help: String
    public var type: MetricType
    public var series: [MetricSeries]

    public init(name: String, help: String, type: MetricType, series: [MetricSeries]) {
        self.name = name
        self.help = help
        self.type = type
        self.series = series
    }

    /// A gauge family computed at scrape time (collectors).
    public static func gauge(_ name: String, _ help: String, _ series: [MetricSeries]) -> MetricFamilySnapshot {
        MetricFamilySnapshot(name: name, help: help, type: .gauge, series: series)
    }

    /// A counter family computed at scrape time from counts kept elsewhere.
    public static func counter(_ name: String, _ help: String, _ series: [MetricSeries]) -> MetricFamilySnapshot {
        MetricFamilySnapshot(name: name, help: help, type: .counter, series: series)
    }
}
