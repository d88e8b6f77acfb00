/// Cross-origin headers on Engine.IO polling responses, as python-socketio and the Node server
/// send them with an origin list: an allowed `Origin` is echoed back in
/// `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: true` (a `*` would
/// forbid credentials), plus `Vary: Origin`. A refused origin gets no allow headers, so the
/// browser blocks the response; a request without `Origin` (not a browser) gets none either.
/// The same policy decides the WebSocket handshake's Origin check.
struct EngineIOCORS {
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
}
