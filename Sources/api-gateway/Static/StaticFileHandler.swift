/// Answers GET/HEAD for the web console's files (issue 13): the file with its `Content-Type`,
/// a strong `ETag` and `Cache-Control: no-cache` (file names carry no version, so the browser
/// revalidates every time and gets `304 Not Modified` while the file is unchanged), and strict
/// security headers: a Content-Security-Policy allowing only this origin's scripts, styles,
/// images and connections (no inline script or style, no framing), `nosniff`, no referrer.
/// Paths that `StaticPath` refuses and files that `StaticFileCache` does not hold answer the
/// API's JSON 404. Pure apart from the cache's file reads.
public struct StaticFileHandler {
    public static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'"
    public static let cacheControl = "no-cache"
    public static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]

    public let cache: StaticFileCache

    public init(cache: StaticFileCache) { self.cache = cache }

    /// The response for a request whose decoded path segments are `segments`.
    public func respond(segments: [String], ifNoneMatch: String?) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in Self.securityHeaders { headers.set(name, value) }
        guard let relative = StaticPath.relative(segments), let file = cache.file(relative) else {
            var response = Router.notFound()
            for (name, value) in headers { response.headers.set(name, value) }
            return response
        }
        headers.set("ETag", file.etag)
        headers.set("Cache-Control", Self.cacheControl)
        if let ifNoneMatch, Self.matches(ifNoneMatch, etag: file.etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.set("Content-Type", file.contentType)
        return HTTPResponse(status: 200, headers: headers, body: file.bytes)
    }

    /// `If-None-Match` against a strong ETag with the weak comparison RFC 9110 §13.1.2 asks
    /// for: `*`, or any listed tag equal once a `W/` prefix is dropped.
    static func matches(_ header: String, etag: String) -> Bool {
        for item in header.split(separator: ",") {
            var tag = trimOWS(item)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
