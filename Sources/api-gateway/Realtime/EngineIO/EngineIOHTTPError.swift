import Shared

/// The HTTP errors of an Engine.IO server, with the codes and messages the Node `engine.io`
/// server uses (`{"code":1,"message":"Session ID unknown"}`), so clients and tools that read
/// them see what they expect. All are 400 except `forbidden` (403) and `overloaded` (503).
enum EngineIOHTTPError: Int, Error, CaseIterable {
    case unknownTransport = 0
    case unknownSid = 1
    case badHandshakeMethod = 2
    case badRequest = 3
    case forbidden = 4
    case unsupportedProtocolVersion = 5
    /// Not an engine.io code: the session table is full.
    case overloaded = 503

    var message: String {
        switch self {
        case .unknownTransport: return "Transport unknown"
        case .unknownSid: return "Session ID unknown"
        case .badHandshakeMethod: return "Bad handshake method"
        case .badRequest: return "Bad request"
        case .forbidden: return "Forbidden"
        case .unsupportedProtocolVersion: return "Unsupported protocol version"
        case .overloaded: return "Too many sessions"
        }
    }

    var status: Int {
        switch self {
        case .forbidden: return 403
        case .overloaded: return 503
        default: return 400
        }
    }

    /// The response, carrying `headers` (CORS) as well.
    func response(headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let body: JSON = .object(JSONObject([("code", .int(Int64(rawValue))), ("message", .string(message))]))
        return .json(status, body, headers: headers)
    }
}
