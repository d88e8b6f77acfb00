import Glibc
import Shared

/// The OpenAPI 3.1 document of the REST API (`docs/openapi.json`, the contract a unit test holds
/// the router to), found like other installed data: `IBRAT_OPENAPI_FILE` when set, else next to
/// the installed binaries (`<prefix>/libexec/ibrat/…` → `<prefix>/share/ibrat/openapi.json`),
/// else `/usr/share/ibrat/openapi.json`, else the checkout the binary was built in
/// (`.build/<config>/api-gateway` → `docs/openapi.json`). Read and checked (a JSON object) on the
/// first request, then served from memory; a missing or broken file is retried next time.
public final class OpenAPIDocument {
    /// The file name in the installed data directory and in the checkout's `docs/`.
    public static let fileName = "openapi.json"
    /// The installed data directory of a `/usr` install (the Debian package).
    public static let systemDataDir = "/usr/share/ibrat"
    /// How many parent directories of the executable are searched for a checkout.
    public static let maxCheckoutDepth = 5
    /// Largest document read (today's is about 170 KiB).
    public static let maxBytes = 4 << 20

    public let candidates: [String]
    private var cached: [UInt8]?
    /// Set once a missing document has been logged (one warning, not one per request).
    public var reportedMissing = false

    public init(setting: String?, executablePath: String? = OpenAPIDocument.executablePath()) {
        candidates = Self.candidates(setting: setting, executablePath: executablePath)
    }

    /// Where to look, in order. Pure.
    public static func candidates(setting: String?, executablePath: String?) -> [String] {
        if let setting, !setting.isEmpty { return [setting] }
        var paths: [String] = []
        if let exe = executablePath, exe.hasPrefix("/") {
            var dir = parent(exe)
            // <prefix>/libexec/ibrat/api-gateway and <prefix>/bin/api-gateway
            paths.append(parent(parent(dir)) + "/share/ibrat/" + fileName)
            paths.append(parent(dir) + "/share/ibrat/" + fileName)
            paths.append(systemDataDir + "/" + fileName)
            for _ in 0..<maxCheckoutDepth where dir != "/" {
                dir = parent(dir)
                paths.append((dir == "/" ? "" : dir) + "/docs/" + fileName)
            }
        } else {
            paths.append(systemDataDir + "/" + fileName)
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// The document's bytes, or nil when no candidate holds a readable JSON object.
    public func load() -> [UInt8]? {
        if let cached { return cached }
        for path in candidates {
            guard let bytes = Self.readFile(path), case .object? = try? JSON.parse(bytes) else { continue }
            cached = bytes
            return bytes
        }
        return nil
    }

    /// `/proc/self/exe` resolved, nil when unreadable.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A regular file's bytes (at most `maxBytes`), nil otherwise.
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= maxBytes else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            filled += n
        }
        return bytes
    }
}
