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
