import Glibc

/// The process figures behind `ProcessMetrics`, read so that a scrape every second stays cheap
/// (issue 15): CPU time from one `getrusage` call on every scrape (a counter, always current); the
/// start time read once; resident memory (`/proc/self/statm`), open descriptors (a listing of
/// `/proc/self/fd`) and the descriptor limit re-read only when the last reading is older than
/// `maxAgeMicros`, so those gauges may be up to that old. Loop thread only; the clock is injected.
public final class ProcessFigures {
    /// Oldest age of the resident memory and descriptor figures served (5 s).
    public static let maxAgeMicros: UInt64 = 5_000_000

    public struct Gauges: Equatable {
        public var residentBytes: Double?
        public var openFileDescriptors: Int?
        public var maxFileDescriptors: Double?
    }

    private let clock: () -> UInt64
    private let read: () -> Gauges
    private var cached: (gauges: Gauges, at: UInt64)?
    /// Start of the process since the Unix epoch, in whole seconds (nil when `/proc` is unreadable).
    public let startTimeSeconds: Double?
    /// `/proc` readings so far (tests).
    public private(set) var readings = 0

    public init(clock: @escaping () -> UInt64 = MonotonicClock.micros, read: @escaping () -> Gauges = ProcessFigures.readGauges) {
        self.clock = clock
        self.read = read
        startTimeSeconds = ProcessMetrics.readStartTicks().map { ProcessMetrics.startTimeSeconds(startTicks: $0).rounded() }
    }

    /// The memory and descriptor gauges, re-read when older than `maxAgeMicros`.
    public func gauges() -> Gauges {
        let now = clock()
        if let cached, now &- cached.at < Self.maxAgeMicros { return cached.gauges }
        let fresh = read()
        readings += 1
        cached = (fresh, now)
        return fresh
    }

    /// User plus system CPU time of every thread so far, in seconds.
    public static func cpuSeconds() -> Double? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        let micros = (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return Double(micros) / 1_000_000
    }

    /// Reads the gauges from `/proc/self/statm`, `/proc/self/fd` and `getrlimit`.
    public static func readGauges() -> Gauges {
        var limit = rlimit()
        let maxFDs = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Double(limit.rlim_cur) : nil
        return Gauges(residentBytes: residentBytes(), openFileDescriptors: ProcessMetrics.openFileDescriptors(),
                      maxFileDescriptors: maxFDs)
    }

    /// `/proc/self/statm`'s second field (resident pages) times the page size.
    static func residentBytes() -> Double? {
        guard let text = ProcessMetrics.readSmallFile("/proc/self/statm", limit: 256) else { return nil }
        let fields = text.split(separator: " ", maxSplits: 2)
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
