/// Cross-origin rules for browser panels. `*` allows any origin (answered with `*`, no
/// credentials, as the earlier version's `cors()` default did); otherwise only the listed exact
/// origins are echoed back, with `Vary: Origin`. Preflights (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) are answered here with 204 before routing.
public struct CORSPolicy {
    public static let defaultAllowedMethods = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]
    public static let defaultAllowedHeaders = ["Authorization", "Content-Type", "Idempotency-Key"]
    /// Response headers a browser script may read.
    public static let defaultExposedHeaders = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                                               "Retry-After", "X-Request-ID", "Idempotent-Replayed"]
    /// How long a browser may cache a preflight answer.
    public static let defaultMaxAgeSeconds = 600

    public let allowsAnyOrigin: Bool
    public let allowedOrigins: Set<String>
    public var allowedMethods = defaultAllowedMethods
    public var allowedHeaders = defaultAllowedHeaders
    public var exposedHeaders = defaultExposedHeaders {
        didSet { exposedHeadersValue = exposedHeaders.joined(separator: ", ") }
    }
    /// `exposedHeaders` as the header value, joined once rather than per request.
    public private(set) var exposedHeadersValue = defaultExposedHeaders.joined(separator: ", ")
    public var maxAgeSeconds = defaultMaxAgeSeconds

    /// `origins`: `["*"]` or exact origins such as `https://panel.example.com` (a trailing slash
    /// is ignored).
    public init(allowedOrigins origins: [String]) {
        let cleaned = origins.map { CORSPolicy.normalise($0) }.filter { !$0.isEmpty }
        allowsAnyOrigin = cleaned.contains("*")
        allowedOrigins = Set(cleaned.filter { $0 != "*" })
    }

    /// From a comma-separated list (configuration).
    public init(originList: String) {
        self.init(allowedOrigins: originList.split(separator: ",").map(String.init))
    }

    static func normalise(_ origin: String) -> String {
        var s = String(trimOWS(origin))
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, or nil when refused.
    public func allowOriginValue(for origin: String?) -> String? {
        if allowsAnyOrigin { return "*" }
        guard let origin, allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    public func isPreflight(_ request: HTTPRequest) -> Bool {
        request.method == "OPTIONS" && request.header("Origin") != nil
            && request.header("Access-Control-Request-Method") != nil
    }

    /// The 204 answer to a preflight (without allow headers when the origin is refused).
    public func preflightResponse(for request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse.empty(204)
        if !allowsAnyOrigin { response.headers.add("Vary", "Origin") }
        guard let allow = allowOriginValue(for: request.header("Origin")) else { return response }
        response.headers.add("Access-Control-Allow-Origin", allow)
        response.headers.add("Access-Control-Allow-Methods", allowedMethods.joined(separator: ", "))
        response.headers.add("Access-Control-Allow-Headers", allowedHeaders.joined(separator: ", "))
        response.headers.add("Access-Control-Max-Age", String(maxAgeSeconds))
        return response
    }

    /// Adds the CORS headers for an actual (non-preflight) request to the request's
    /// `responseHeaders`, so whatever response is sent carries them.
    public func applyHeaders(to request: HTTPRequest) {
        if !allowsAnyOrigin { request.responseHeaders.add("Vary", "Origin") }
        guard let allow = allowOriginValue(for: request.header("Origin")) else { return }
        request.responseHeaders.add("Access-Control-Allow-Origin", allow)
        if !exposedHeaders.isEmpty {
            request.responseHeaders.add("Access-Control-Expose-Headers", exposedHeadersValue)
        }
    }
}
