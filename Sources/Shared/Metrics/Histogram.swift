/// A Prometheus histogram with fixed bucket upper bounds. `observe` finds the bucket by binary
/// search and bumps one slot (counts are kept per bucket and made cumulative only when a snapshot
/// is taken), so the hot path is a handful of comparisons and no allocation. Loop thread only.
public final class Histogram {
    /// Finite upper bounds, strictly increasing (the `+Inf` bucket is implicit).
    public let bounds: [Double]
    /// Observations per bucket; the last slot is the `+Inf` overflow.
    private var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// Latency buckets in seconds, 0.5 ms to 10 s.
    public static let latencySeconds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                  1, 2.5, 5, 10]
    /// Delay buckets in seconds for work measured against a deadline, 0.1 s to 1 h.
    public static let delaySeconds: [Double] = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]

    /// `bounds` are sorted and de-duplicated; non-finite bounds are dropped.
    public init(bounds: [Double]) {
        var unique: [Double] = []
        for bound in bounds.filter({ $0.isFinite }).sorted() where unique.last != bound { unique.append(bound) }
        self.bounds = unique
        counts = [UInt64](repeating: 0, count: unique.count + 1)
    }

    /// Records one observation (NaN is ignored).
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var low = 0, high = bounds.count
        while low < high {
            let mid = (low + high) >> 1
            if value <= bounds[mid] { high = mid } else { low = mid + 1 }
        }
        counts[low] &+= 1
        count &+= 1
        sum += value
    }

    /// The state with cumulative bucket counts, as the exposition formats want it.
    public var snapshot: HistogramSnapshot {
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(bounds.count)
        var running: UInt64 = 0
        for index in bounds.indices {
            running &+= counts[index]
            cumulative.append(running)
        }
        return HistogramSnapshot(bounds: bounds, cumulativeCounts: cumulative, sum: sum, count: count)
    }
}
