/// A monotonic clock (seconds) that moves only when the test advances it, for code that takes
/// its clock as `@Sendable () -> Double`: a throttle's interval passes without waiting for it.
/// `@unchecked Sendable`: read and advanced only on the test's thread (the loop's).
public final class ManualMonotonicClock: @unchecked Sendable {
    public private(set) var seconds: Double

    public init(seconds: Double = 1_000) { self.seconds = seconds }

    public func advance(by interval: Double) { seconds += interval }

    /// The clock as the closure the code under test takes.
    public var reading: @Sendable () -> Double { { [self] in seconds } }
}
