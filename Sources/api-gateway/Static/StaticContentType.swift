/// The `Content-Type` of a console file by its extension. Files with any other extension are
/// not served (404): the folder only holds what this table names, so nothing is sniffed.
public enum StaticContentType {
    public static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "woff2": "font/woff2",
    ]

    /// The type for a file name, or nil when the extension is not served.
    public static func forFile(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }
}
