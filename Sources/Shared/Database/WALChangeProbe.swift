import Glibc

/// Tells, without a system call, whether any connection may have committed to a WAL database
/// since the last look: it maps the `-shm` file (the WAL index SQLite keeps in shared memory)
/// read-only and compares its header, which every commit (and checkpoint) rewrites, with the copy
/// taken at the last look. A reader whose cache is valid per `PRAGMA data_version` asks the probe
/// first and runs the pragma (a read transaction: two `fcntl` locks and an `fstat`) only when the
/// header moved (issue 16: 3 of the 5 system calls of a cached `GET /api/leads`).
/// A header that moved for another reason (a checkpoint) or was read torn only costs one pragma.
/// Without a `-shm` file (no WAL, in-memory database) every look says "changed". Loop thread only.
public final class WALChangeProbe {
    /// The WAL-index header: two 48-byte copies at the start of the file (SQLite's `wal.c`).
    static let headerBytes = 96
    private var base: UnsafeMutableRawPointer?
    private var mappedBytes = 0
    private var last = [UInt8](repeating: 0, count: WALChangeProbe.headerBytes)
    private var hasLast = false

    /// Maps `<databasePath>-shm` if it exists and is large enough; else every look says changed.
    public init(databasePath: String) {
        let fd = open(databasePath + "-shm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) >= Self.headerBytes else { return }
        let p = mmap(nil, Self.headerBytes, PROT_READ, MAP_SHARED, fd, 0)
        guard let p, p != MAP_FAILED else { return }
        base = p
        mappedBytes = Self.headerBytes
    }

    deinit {
        if let base { munmap(base, mappedBytes) }
    }

    /// Whether the probe can see the WAL index at all.
    public var isActive: Bool { base != nil }

    /// True when the header is byte for byte what it was at the previous call (nothing was
    /// committed in between); false on the first call, when it moved (the copy is updated), or
    /// when the probe is inactive.
    public func unchangedSinceLastLook() -> Bool {
        guard let base else { return false }
        let same = hasLast && last.withUnsafeBytes { memcmp($0.baseAddress!, base, Self.headerBytes) == 0 }
        if !same {
            last.withUnsafeMutableBytes { _ = memcpy($0.baseAddress!, base, Self.headerBytes) }
            hasLast = true
        }
        return same
    }
}
