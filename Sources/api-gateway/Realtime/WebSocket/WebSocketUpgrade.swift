import Shared

/// Turns an HTTP request into a WebSocket: runs `WebSocketHandshake` on it, answers a refused
/// handshake (or one over HTTP/1.0: 400) with its status (405/400/426/403, JSON error body), or
/// sends the `101` and takes the socket over from the HTTP server. Used by the Engine.IO server
/// and the echo endpoint.
enum WebSocketUpgrade {
    /// Whether the request asks for a WebSocket (`Upgrade: websocket`), as opposed to polling.
    static func isRequested(_ request: HTTPRequest) -> Bool {
        guard let upgrade = request.header("Upgrade") else { return false }
        return WebSocketHandshake.hasToken(upgrade, "websocket")
    }

    /// Completes the handshake. Nil when it was refused (the refusal is already sent) or the
    /// connection could not be taken over (a 400 is sent when still possible).
    static func accept(_ request: HTTPRequest, _ responder: HTTPResponder,
                       origins: WebSocketOriginPolicy) -> HijackedConnection? {
        // RFC 6455 §4.1: the opening handshake is an HTTP/1.1 (or later) request.
        let result = request.version == .http10
            ? .reject(status: 400, reason: "WebSocket upgrade requires HTTP/1.1")
            : WebSocketHandshake.evaluate(method: request.method, header: { request.header($0) }, origins: origins)
        switch result {
        case .reject(let status, let reason):
            var response = HTTPResponse.error(status, message: reason)
            for (name, value) in result.responseHeaders { response.headers.set(name, value) }
            responder.send(response)
            return nil
        case .accept:
            var response = HTTPResponse(status: 101)
            for (name, value) in result.responseHeaders { response.headers.set(name, value) }
            guard let hijacked = responder.hijack(response: response) else {
                responder.send(.error(400, message: "The connection cannot be upgraded now"))
                return nil
            }
            return hijacked
        }
    }
}
