import Glibc

/// The figures every daemon reports about its own process, read from `/proc` when a snapshot is
/// taken (tens of microseconds, once per scrape): resident memory, CPU seconds, open and maximum
/// file descriptors, start time, plus `ibrat_build_info` and `ibrat_daemon_up`. Each series has a
/// `daemon` label (`api-gateway`, `queue-daemon`, `dialer-daemon`) so the three processes' figures
/// merge into one family at the gateway.
public enum ProcessMetrics {
    /// Adds the process families for `daemon` to `registry`.
    public static func install(on registry: MetricsRegistry, daemon: String) {
        registry.addCollector { families(daemon: daemon) }
    }

    public static func families(daemon: String) -> [MetricFamilySnapshot] {
        let labels = [("daemon", daemon)]
        var out: [MetricFamilySnapshot] = [
            .gauge("ibrat_daemon_up", "1 when the daemon answered this scrape, 0 when it is down or did not answer.",
                   [MetricSeries(labels, 1)]),
            .gauge("ibrat_build_info", "Build of each daemon (value is always 1).",
                   [MetricSeries(labels + [("version", BuildInfo.version)], 1)]),
        ]
        let stat = readStat()
        if let cpu = stat?.cpuSeconds {
            out.append(.counter("ibrat_process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                                [MetricSeries(labels, cpu)]))
        }
        if let rss = stat?.residentBytes {
            out.append(.gauge("ibrat_process_resident_memory_bytes", "Resident memory size in bytes.",
                              [MetricSeries(labels, rss)]))
        }
        if let fds = openFileDescriptors() {
            out.append(.gauge("ibrat_process_open_fds", "Open file descriptors.", [MetricSeries(labels, Double(fds))]))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            out.append(.gauge("ibrat_process_max_fds", "Limit on open file descriptors.",
                              [MetricSeries(labels, Double(limit.rlim_cur))]))
        }
        if let ticks = stat?.startTicks {
            let start = startTimeSeconds(startTicks: ticks)
            out.append(.gauge("ibrat_process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.",
                              [MetricSeries(labels, start.rounded())]))
        }
        return out
    }

    struct Stat {
        var cpuSeconds: Double
        var residentBytes: Double
        var startTicks: Double
    }

    /// `/proc/self/stat`: utime + stime (fields 14, 15), starttime (22), rss pages (24).
    static func readStat() -> Stat? {
        guard let text = readSmallFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 21, let utime = Double(fields[11]), let stime = Double(fields[12]),
              let start = Double(fields[19]), let rss = Double(fields[21]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        return Stat(cpuSeconds: (utime + stime) / ticks, residentBytes: rss * page, startTicks: start)
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
