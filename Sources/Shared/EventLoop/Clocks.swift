import Glibc

/// Wall-clock time in milliseconds since the Unix epoch, injectable so that schedulers and
/// simulations are deterministic in tests.
public protocol WallClock: AnyObject {
    func nowMillis() -> Int64
}

public final class SystemWallClock: WallClock {
    public init() {}
    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to (tests).
public final class ManualWallClock: WallClock {
    public var now: Int64
    public init(now: Int64 = 1_700_000_000_000) { self.now = now }
    public func nowMillis() -> Int64 { now }
    public func advance(byMillis ms: Int64) { now += ms }
}

/// A seedable generator (SplitMix64): same seed, same sequence. Used by the call simulator.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
