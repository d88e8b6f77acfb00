import Foundation
import Shared

/// Where the web console's files are (issue 13): `IBRAT_WEB_DIR` when set (it must be a folder
/// holding `index.html`, else the gateway stops at start-up naming the variable); otherwise the
/// checkout's `web/` found by walking up from the executable (a development run:
/// `<checkout>/.build/debug/api-gateway`), else the installed `/usr/share/ibrat/web`. Nil when no
/// folder is found: the gateway then serves the API alone and `/` answers 404. Pure apart from
/// the `exists` probe, which tests inject.
public enum StaticWebRoot {
    /// The installed location (`scripts/install` copies `web/` there).
    public static let installedPath = "/usr/share/ibrat/web"
    /// Where `scripts/install` puts the console under its prefix.
    static let installedSuffix = "share/ibrat/web"
    /// The file every console folder holds.
    public static let indexFile = "index.html"
    /// How many parent folders of the executable are searched for `web/index.html`.
    static let maxParentSearch = 6

    /// The console folder for `configured` (`Config.webDir`) and `executablePath`.
    public static func resolve(configured: String?, executablePath: String?,
                               exists: (String) -> Bool = StaticWebRoot.isFile) throws -> String? {
        if let configured {
            let path = trimmedSlash(configured)
            guard exists(path + "/" + indexFile) else {
                throw ConfigError(variable: "IBRAT_WEB_DIR", message: "\(configured) has no \(indexFile): "
                                  + "it must name the web console's folder (web/ of the checkout, or \(installedPath))")
            }
            return path
        }
        if let executablePath {
            var dir = (executablePath as NSString).deletingLastPathComponent
            for _ in 0..<maxParentSearch where dir.count > 1 {
                for candidate in [dir + "/web", dir + "/" + installedSuffix] where exists(candidate + "/" + indexFile) {
                    return candidate
                }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        return exists(installedPath + "/" + indexFile) ? installedPath : nil
    }

    /// The running executable's absolute path (`/proc/self/exe`), if readable.
    public static func currentExecutable() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first
    }

    /// Whether `path` is a regular file.
    public static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func trimmedSlash(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
