import Foundation
import Shared

/// The console files in memory, read from `root` on first request and again when their stat
/// identity (mtime, size, inode) changes, so an edited file in a development checkout is served
/// fresh while an unchanged one costs one `stat`. Only regular files inside the real root
/// (symbolic links resolved) with a served extension and at most `maxFileBytes` are read.
/// Loop thread only (no locking).
public final class StaticFileCache {
    /// Largest file served (the console's files are a few KB each).
    public static let maxFileBytes = 4 * 1024 * 1024
    /// Most files kept; past it the cache is emptied and refilled on demand.
    public static let maxEntries = 512
    /// Hex digits of the SHA-256 content digest used as the ETag.
    static let etagDigits = 32

    public let root: String
    private let realRoot: String
    private var entries: [String: StaticFile] = [:]

    public init(root: String) {
        self.root = root
        realRoot = Self.realPath(root) ?? root
    }

    /// The file at `relative` (already checked by `StaticPath`), or nil when it does not exist,
    /// is not a regular file inside the root, has an extension not served, or is too large.
    public func file(_ relative: String) -> StaticFile? {
        guard let contentType = StaticContentType.forFile(relative) else { return nil }
        let path = root + "/" + relative
        guard let real = Self.realPath(path), real.hasPrefix(realRoot + "/") else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= Self.maxFileBytes else {
            return nil
        }
        let identity = StaticFile.Identity(mtimeNanos: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                                           size: Int64(info.st_size), inode: UInt64(info.st_ino))
        if let cached = entries[relative], cached.identity == identity { return cached }
        guard let data = FileManager.default.contents(atPath: real) else { return nil }
        let bytes = [UInt8](data)
        let digest = Hex.encode(SHA256.hash(bytes)).prefix(Self.etagDigits)
        let file = StaticFile(bytes: bytes, contentType: contentType, etag: "\"\(digest)\"", identity: identity)
        if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
        entries[relative] = file
        return file
    }

    /// Files currently held (tests).
    public var count: Int { entries.count }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
