import Glibc

/// The figures every daemon reports about its own process: resident memory, CPU seconds, open and
/// maximum file descriptors, start time, plus `ibrat_build_info` and `ibrat_daemon_up`. Read
/// through `ProcessFigures` (issue 15): CPU time on every scrape, memory and descriptors at most
/// `ProcessFigures.maxAgeMicros` old, the start time once. Each series has a `daemon` label
/// (`api-gateway`, `queue-daemon`, `dialer-daemon`) so the three processes' figures merge into one
/// family at the gateway.
public enum ProcessMetrics {
    /// Adds the process families for `daemon` to `registry`.
    public static func install(on registry: MetricsRegistry, daemon: String, figures: ProcessFigures = ProcessFigures()) {
        registry.addCollector { families(daemon: daemon, figures: figures) }
    }

    public static func families(daemon: String, figures: ProcessFigures = ProcessFigures()) -> [MetricFamilySnapshot] {
        let labels = [("daemon", daemon)]
        var out: [MetricFamilySnapshot] = [
            .gauge("ibrat_daemon_up", "1 when the daemon answered this scrape, 0 when it is down or did not answer.",
                   [MetricSeries(labels, 1)]),
            .gauge("ibrat_build_info", "Build of each daemon (value is always 1).",
                   [MetricSeries(labels + [("version", BuildInfo.version)], 1)]),
        ]
        if let cpu = ProcessFigures.cpuSeconds() {
            out.append(.counter("ibrat_process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                                [MetricSeries(labels, cpu)]))
        }
        let gauges = figures.gauges()
        if let rss = gauges.residentBytes {
            out.append(.gauge("ibrat_process_resident_memory_bytes", "Resident memory size in bytes.",
                              [MetricSeries(labels, rss)]))
        }
        if let fds = gauges.openFileDescriptors {
            out.append(.gauge("ibrat_process_open_fds", "Open file descriptors.", [MetricSeries(labels, Double(fds))]))
        }
        if let limit = gauges.maxFileDescriptors {
            out.append(.gauge("ibrat_process_max_fds", "Limit on open file descriptors.", [MetricSeries(labels, limit)]))
        }
        if let start = figures.startTimeSeconds {
            out.append(.gauge("ibrat_process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
                              [MetricSeries(labels, start)]))
        }
        return out
    }

    /// `/proc/self/stat`'s starttime (field 22, clock ticks since boot).
    static func readStartTicks() -> Double? {
        guard let text = readSmallFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return Double(fields[19])
    }

    /// The start time since the epoch from `starttime` (clock ticks since boot): now minus the time
    /// since boot plus the start offset. `/proc/stat`'s `btime` would be simpler but is hidden from
    /// the services by `ProcSubset=pid`; the process's own `/proc/self` stays readable.
    static func startTimeSeconds(startTicks: Double) -> Double {
        var boot = timespec(), real = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        clock_gettime(CLOCK_REALTIME, &real)
        let sinceBoot = Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9
        let now = Double(real.tv_sec) + Double(real.tv_nsec) / 1e9
        return now - sinceBoot + startTicks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Entries of `/proc/self/fd`, not counting the directory's own descriptor.
    static func openFileDescriptors() -> Int? {
        guard let dir = opendir("/proc/self/fd") else { return nil }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == 46 }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)
    }

    static func readSmallFile(_ path: String, limit: Int = 4096) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: limit)
        var used = 0
        while used < limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + used, limit - used) }
            if n <= 0 { break }
            used += n
        }
        return String(decoding: buffer[..<used], as: UTF8.self)
    }
}
