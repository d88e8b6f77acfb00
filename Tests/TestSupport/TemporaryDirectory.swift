import Foundation
import Glibc

/// A fresh private directory under /tmp for one test (mode 0700, from `mkdtemp`), removed with
/// everything in it when the value goes away or `remove()` is called. Replaces the per-target
/// copies of the mkdtemp/NSTemporaryDirectory code.
public final class TemporaryDirectory {
    public let path: String
    private var removed = false

    /// Creates `/tmp/<prefix>-XXXXXX`.
    public init(prefix: String = "ibrat-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp: \(String(cString: strerror(errno)))"])
        }
        path = String(cString: made)
    }

    deinit { remove() }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Creates the subdirectory `name` (and its parents) and returns its path.
    @discardableResult
    public func subdirectory(_ name: String, mode: Int = 0o700) throws -> String {
        let made = file(name)
        try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: mode])
        return made
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Deletes the directory now (idempotent).
    public func remove() {
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: path)
    }
}
