/// A monotonically increasing value (Prometheus counter). Plain stored property: the daemons are
/// single-threaded loops, so an increment is one addition, no lock and no atomic.
public final class Counter {
    public private(set) var value: Double = 0

    public init() {}

    /// Adds `amount` (negative amounts are ignored: a counter never goes down).
    @inline(__always)
    public func inc(_ amount: Double = 1) {
        if amount > 0 { value += amount }
    }
}

/// A value that goes up and down (Prometheus gauge).
public final class Gauge {
    public var value: Double = 0

    public init() {}

    public func set(_ newValue: Double) { value = newValue }
    public func inc(_ amount: Double = 1) { value += amount }
    public func dec(_ amount: Double = 1) { value -= amount }
}
