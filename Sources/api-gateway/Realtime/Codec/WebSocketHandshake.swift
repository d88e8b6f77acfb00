/// The server side of the WebSocket opening handshake (RFC 6455 §4.2), independent of the HTTP
/// types: the caller passes the method and a case-insensitive header lookup and gets back either
/// the 101 answer or the status to refuse with. Checks, in order: GET (else 405), `Upgrade` lists
/// `websocket` and `Connection` lists `upgrade` (case-insensitive tokens; else 400),
/// `Sec-WebSocket-Version: 13` (else 426 naming the version we speak), `Sec-WebSocket-Key` the
/// canonical base64 of 16 bytes (else 400), `Origin` allowed by the policy (else 403). No
/// subprotocol or extension is negotiated (no permessage-deflate).
import Shared

enum WebSocketHandshake {
    /// §1.3: the GUID appended to the client key before hashing.
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    enum Result: Equatable {
        /// Answer `101 Switching Protocols` with `responseHeaders`.
        case accept(acceptKey: String)
        /// Refuse with `status` (`reason` is a short body/log text) and `responseHeaders`.
        case reject(status: Int, reason: String)

        var status: Int {
            switch self {
            case .accept: return 101
            case .reject(let status, _): return status
            }
        }

        /// Headers to send with this status (besides the usual Content-Length etc.).
        var responseHeaders: [(String, String)] {
            switch self {
            case .accept(let key):
                return [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", key)]
            case .reject(426, _):
                return [("Sec-WebSocket-Version", WebSocketLimits.protocolVersion)]
            case .reject(405, _):
                return [("Allow", "GET")]
            case .reject:
                return []
            }
        }
    }

    /// Validates an upgrade request. `header` returns a header's value by name, case-insensitively
    /// (several lines of the same header joined with ", "), or nil when absent.
    static func evaluate(method: String, header: (String) -> String?, origins: WebSocketOriginPolicy) -> Result {
        guard method == "GET" else { return .reject(status: 405, reason: "WebSocket upgrade requires GET") }
        guard let upgrade = header("Upgrade"), hasToken(upgrade, "websocket") else {
            return .reject(status: 400, reason: "Missing or invalid Upgrade header")
        }
        guard let connection = header("Connection"), hasToken(connection, "upgrade") else {
            return .reject(status: 400, reason: "Missing or invalid Connection header")
        }
        guard let version = header("Sec-WebSocket-Version"),
              WebSocketOriginPolicy.trimmedOWS(version) == WebSocketLimits.protocolVersion else {
            return .reject(status: 426, reason: "Unsupported WebSocket version")
        }
        guard let rawKey = header("Sec-WebSocket-Key") else {
            return .reject(status: 400, reason: "Missing Sec-WebSocket-Key")
        }
        let key = WebSocketOriginPolicy.trimmedOWS(rawKey)
        guard isValidKey(key) else { return .reject(status: 400, reason: "Invalid Sec-WebSocket-Key") }
        guard origins.allows(header("Origin")) else { return .reject(status: 403, reason: "Origin not allowed") }
        return .accept(acceptKey: acceptKey(for: key))
    }

    /// Same, with the headers as name/value pairs in arrival order.
    static func evaluate(method: String, headers: [(String, String)], origins: WebSocketOriginPolicy) -> Result {
        evaluate(method: method, header: { name in
            let values = headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
            return values.isEmpty ? nil : values.joined(separator: ", ")
        }, origins: origins)
    }

    /// `Sec-WebSocket-Accept` for a client key: base64(SHA-1(key + GUID)).
    static func acceptKey(for key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + acceptGUID).utf8)))
    }

    /// The key must be the (strict, padded) base64 encoding of exactly 16 bytes.
    static func isValidKey(_ key: String) -> Bool {
        Base64.decode(key)?.count == WebSocketLimits.handshakeNonceBytes
    }

    /// Whether the comma-separated header value lists `token` (case-insensitive, OWS trimmed).
    static func hasToken(_ value: String, _ token: String) -> Bool {
        value.split(separator: ",").contains { WebSocketOriginPolicy.trimmedOWS(String($0)).lowercased() == token }
    }
}
