import CSQLite
import Glibc
import Shared

/// The gateway's memory for `GET /api/admin/system-status`, in bytes, with the field names of
/// the earlier version's `process.memoryUsage()`:
/// - `rss`: resident set size, from `/proc/self/statm` (resident pages × page size);
/// - `heapTotal`: `VmData` of `/proc/self/status` (data segment and anonymous mappings: the
///   address space the allocator has taken);
/// - `heapUsed`: `RssAnon` (the part of it resident: the heap actually in use);
/// - `external`: `sqlite3_memory_used()` (SQLite's page cache and statements);
/// - `arrayBuffers`: 0 (no such thing outside JavaScript; kept so the shape matches).
/// `mallinfo2()` would give the allocator's own figures but glibc declares it in `<malloc.h>`,
/// which no module map of the project includes yet. Missing files give 0, never an error.
public struct SystemStatusMemory: Equatable {
    public var rss: Int64 = 0
    public var heapTotal: Int64 = 0
    public var heapUsed: Int64 = 0
    public var external: Int64 = 0
    public var arrayBuffers: Int64 = 0

    /// Largest /proc file read (status is ~1.5 KiB).
    static let maxProcBytes = 16 * 1024

    public init() {}

    /// The current figures of this process.
    public static func current() -> SystemStatusMemory {
        var memory = SystemStatusMemory()
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = readProc("/proc/self/statm") {
            memory.rss = statmResidentPages(statm) * max(pageSize, 1)
        }
        if let status = readProc("/proc/self/status") {
            memory.heapTotal = statusKilobytes(status, field: "VmData") * 1024
            memory.heapUsed = statusKilobytes(status, field: "RssAnon") * 1024
        }
        memory.external = sqlite3_memory_used()
        return memory
    }

    public var json: JSON {
        .object(JSONObject([("rss", .int(rss)), ("heapTotal", .int(heapTotal)), ("heapUsed", .int(heapUsed)),
                            ("external", .int(external)), ("arrayBuffers", .int(arrayBuffers))]))
    }

    /// The second number of `/proc/self/statm` ("size resident shared …"), 0 when malformed.
    static func statmResidentPages(_ text: String) -> Int64 {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2 else { return 0 }
        return Int64(fields[1]) ?? 0
    }

    /// The kB figure of a `Name:   1234 kB` line of `/proc/self/status`, 0 when absent.
    static func statusKilobytes(_ text: String, field: String) -> Int64 {
        let prefix = field + ":"
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let number = line.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return number.flatMap { Int64($0) } ?? 0
        }
        return 0
    }

    /// The text of a small /proc file (read with one bounded `read`), nil when unreadable.
    static func readProc(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: maxProcBytes)
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        return String(decoding: buffer[0..<filled], as: UTF8.self)
    }
}
