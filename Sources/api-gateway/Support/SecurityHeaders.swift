/// Headers added to every response (as `helmet` did for the earlier version, trimmed to what an
/// API needs): no MIME sniffing, no framing, no referrer, and `Cache-Control: no-store` on
/// `/api` answers (tokens and personal data must not sit in shared caches).
public enum SecurityHeaders {
    public static let common: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ]
    public static let apiCacheControl = ("Cache-Control", "no-store")

    /// Adds the headers to whatever response `request` gets (a handler's own values win).
    public static func apply(to request: HTTPRequest) {
        for (name, value) in common { request.responseHeaders.set(name, value) }
        if request.path == "/api" || request.path.hasPrefix("/api/") {
            request.responseHeaders.set(apiCacheControl.0, apiCacheControl.1)
        }
    }
}
