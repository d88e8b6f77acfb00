import Shared

/// An error that already knows its HTTP answer. Handlers `throw` it from inside
/// `GatewayContext.answer` (or pass it to `fail`) and the client gets `response` as is.
/// The constructors build the error shapes of DESIGN §6 (`{"error","message"}`), plus the
/// validation shape `{"error":"Validation failed","message":m,"details":m}` (the earlier
/// version's clients read `details`, the API document `message`: both are sent).
public struct HTTPError: Error, CustomStringConvertible {
    public let response: HTTPResponse

    public init(_ response: HTTPResponse) { self.response = response }

    /// `{"error": error, "message": message}` with `status`.
    public init(_ status: Int, error: String, message: String) {
        response = .error(status, error: error, message: message)
    }

    public var status: Int { response.status }

    /// The body's `error` string (for callers that are not HTTP, such as Socket.IO auth).
    public var errorText: String? { (try? JSON.parse(response.body))?["error"]?.string }

    public var description: String {
        "HTTPError(\(response.status)): " + String(decoding: response.body, as: UTF8.self)
    }

    /// 400 `{"error":"Validation failed","message":m,"details":m}`.
    public static func validation(_ message: String) -> HTTPError {
        HTTPError(.json(400, .object(["error": "Validation failed", "message": .string(message),
                                      "details": .string(message)])))
    }

    /// 400 `{"error": error, "message": message}`; `message` defaults to `error`.
    public static func badRequest(_ error: String, message: String? = nil) -> HTTPError {
        HTTPError(400, error: error, message: message ?? error)
    }

    public static func unauthorized(_ error: String, message: String) -> HTTPError {
        HTTPError(401, error: error, message: message)
    }

    public static func forbidden(_ error: String, message: String? = nil) -> HTTPError {
        HTTPError(403, error: error, message: message ?? error)
    }

    /// 404 `{"error": "<what> not found", ...}` e.g. `notFound("User not found")`.
    public static func notFound(_ error: String, message: String? = nil) -> HTTPError {
        HTTPError(404, error: error, message: message ?? error)
    }

    public static func conflict(_ error: String, message: String? = nil) -> HTTPError {
        HTTPError(409, error: error, message: message ?? error)
    }

    /// 503 `{"error":"Service Unavailable","message": message}`.
    public static func unavailable(_ message: String) -> HTTPError {
        HTTPError(503, error: "Service Unavailable", message: message)
    }

    /// 400 `{"error":"Invalid id","message":"\"<name>\" must be a 24-character hex id"}`.
    public static func invalidID(_ name: String) -> HTTPError {
        HTTPError(400, error: "Invalid id", message: "\"\(name)\" must be a 24-character hex id")
    }
}
