/// The metrics of one process: families updated as events happen (`counter`, `gauge`,
/// `histogram`) and collectors that compute families when a snapshot is taken (figures that
/// already exist elsewhere — queue sizes, open fds — are read at scrape time instead of being
/// tracked on every change). `snapshot()` runs on the loop thread that owns the registry.
public final class MetricsRegistry {
    /// Every metric name starts with this.
    public static let prefix = "ibrat_"

    private var families: [() -> MetricFamilySnapshot] = []
    private var collectors: [() -> [MetricFamilySnapshot]] = []
    private var names = Set<String>()

    public init() {}

    public func counter(_ name: String, _ help: String, labels: [String] = []) -> MetricFamily<Counter> {
        precondition(name.hasSuffix("_total"), "counter \(name) must end in _total")
        return register(MetricFamily(name: name, help: help, type: .counter, labelNames: labels,
                                     make: Counter.init, read: { .scalar($0.value) }))
    }

    public func gauge(_ name: String, _ help: String, labels: [String] = []) -> MetricFamily<Gauge> {
        register(MetricFamily(name: name, help: help, type: .gauge, labelNames: labels,
                              make: Gauge.init, read: { .scalar($0.value) }))
    }

    public func histogram(_ name: String, _ help: String, labels: [String] = [],
                          buckets: [Double]) -> MetricFamily<Histogram> {
        register(MetricFamily(name: name, help: help, type: .histogram, labelNames: labels,
                              make: { Histogram(bounds: buckets) }, read: { .histogram($0.snapshot) }))
    }

    /// Adds families computed at snapshot time.
    public func addCollector(_ collect: @escaping () -> [MetricFamilySnapshot]) {
        collectors.append(collect)
    }

    /// Every family, registered ones first, then the collectors' in order.
    public func snapshot() -> [MetricFamilySnapshot] {
        families.map { $0() } + collectors.flatMap { $0() }
    }

    private func register<Child>(_ family: MetricFamily<Child>) -> MetricFamily<Child> {
        precondition(family.name.hasPrefix(Self.prefix), "metric \(family.name) must start with \(Self.prefix)")
        precondition(names.insert(family.name).inserted, "metric \(family.name) registered twice")
        families.append { family.snapshot }
        return family
    }
}
