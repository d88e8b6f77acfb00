/// A value that goes up and down (Prometheus gauge).
public final class Gauge {
    public var value: Double = 0

    public init() {}

    public func set(_ newValue: Double) { value = newValue }
    public func inc(_ amount: Double = 1) { value += amount }
    public func dec(_ amount: Double = 1) { value -= amount }
}
