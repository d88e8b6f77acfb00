/// A named metric with label names and one child (`Counter`, `Gauge` or `Histogram`) per label
/// value combination, created on first use. Callers on a hot path keep the child they get from
/// `labels(...)` when its labels are fixed, so the per-event cost is the child's own update; a
/// lookup by values is one dictionary access. Loop thread only.
public final class MetricFamily<Child: AnyObject> {
    public let name: String
    public let help: String
    public let type: MetricType
    public let labelNames: [String]
    private let make: () -> Child
    private let read: (Child) -> MetricValue
    private var children: [[String]: Child] = [:]
    /// Label values in first-use order, so output is stable.
    private var order: [[String]] = []

    init(name: String, help: String, type: MetricType, labelNames: [String], make: @escaping () -> Child,
         read: @escaping (Child) -> MetricValue) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.make = make
        self.read = read
    }

    /// The child for these label values (one per label name, in order).
    public func labels(_ values: String...) -> Child { child(values) }

    /// The child for these label values (one per label name, in order).
    public func child(_ values: [String]) -> Child {
        if let existing = children[values] { return existing }
        precondition(values.count == labelNames.count, "\(name) takes labels \(labelNames)")
        let created = make()
        children[values] = created
        order.append(values)
        return created
    }

    /// Forgets every child (for families whose series are rebuilt from scratch).
    public func removeAll() {
        children.removeAll()
        order.removeAll()
    }

    public var snapshot: MetricFamilySnapshot {
        let series = order.compactMap { values -> MetricSeries? in
            guard let child = children[values] else { return nil }
            return MetricSeries(labels: zip(labelNames, values).map { MetricLabel($0, $1) }, value: read(child))
        }
        return MetricFamilySnapshot(name: name, help: help, type: type, series: series)
    }
}
