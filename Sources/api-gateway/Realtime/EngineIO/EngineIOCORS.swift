/// Cross-origin headers on Engine.IO polling responses, as python-socketio and the Node server
/// send them with an origin list: an allowed `Origin` is echoed back in
/// `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: true` (a `*` would
/// forbid credentials), plus `Vary: Origin`. A refused origin gets no allow headers, so the
/// browser blocks the response; a request without `Origin` (not a browser) gets none either.
/// The same policy decides the WebSocket handshake's Origin check. A preflight (`OPTIONS`) is
/// answered as socket.io servers answer it: 204, the origin echoed with credentials, the methods
/// the endpoint serves, and the request headers the browser asks for (`Access-Control-Request-
/// Headers`) allowed, with `Vary: Origin, Access-Control-Request-Headers`.
struct EngineIOCORS {
    /// Methods announced to a preflight (those of the protocol, as python-socketio lists them).
    static let allowedMethods = "OPTIONS, GET, POST"

    let policy: WebSocketOriginPolicy

    init(allowedOrigins: [String]) {
        policy = WebSocketOriginPolicy(allowed: allowedOrigins)
    }

    /// Whether a request from `origin` may open or use a session (nil: not a browser, allowed).
    func allows(_ origin: String?) -> Bool { policy.allows(origin) }

    /// The headers for a response to a request from `origin`.
    func headers(for origin: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add("Vary", "Origin")
        guard let origin, !origin.isEmpty, policy.allows(origin) else { return headers }
        headers.add("Access-Control-Allow-Origin", origin)
        headers.add("Access-Control-Allow-Credentials", "true")
        return headers
    }

    /// The answer to an `OPTIONS` request on the endpoint (a CORS preflight when it carries
    /// `Origin`): without allow headers when the origin is refused.
    func preflightResponse(for request: HTTPRequest) -> HTTPResponse {
        let origin = request.header("Origin")
        var response = HTTPResponse.empty(204)
        response.headers.add("Vary", "Origin, Access-Control-Request-Headers")
        guard let origin, !origin.isEmpty, policy.allows(origin) else { return response }
        response.headers.add("Access-Control-Allow-Origin", origin)
        response.headers.add("Access-Control-Allow-Credentials", "true")
        response.headers.add("Access-Control-Allow-Methods", Self.allowedMethods)
        if let asked = request.header("Access-Control-Request-Headers").map({ String(trimOWS($0)) }), !asked.isEmpty {
            response.headers.add("Access-Control-Allow-Headers", asked)
        }
        return response
    }
}
