/// The body of an IPC `error` answer: `{code, status, error, message}` (docs/IPC.md "Errors").
/// `code` is a stable machine-readable name (`lead_not_available`); `status` is the HTTP status the
/// gateway answers with; `error` and `message` are the HTTP body strings, passed through verbatim.
public struct IPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: String
    public var status: Int
    public var error: String
    public var message: String

    public init(code: IPCErrorCode, status: Int, error: String, message: String) {
        self.init(wireCode: code.rawValue, status: status, error: error, message: message)
    }

    /// An error with a code read off the wire (possibly one this build does not know).
    public init(wireCode code: String, status: Int, error: String, message: String) {
        self.code = code
        self.status = status
        self.error = error
        self.message = message
    }

    /// Reads an error body sent by a peer. Tolerant, since it only travels back to a caller: a
    /// missing or odd field falls back to a 500 rather than losing the error.
    public init(body: JSONObject) {
        let status = body["status"]?.int.flatMap { (100...599).contains($0) ? Int($0) : nil } ?? 500
        self.init(wireCode: body["code"]?.string ?? IPCErrorCode.internal.rawValue,
                  status: status,
                  error: body["error"]?.string ?? "Internal Server Error",
                  message: body["message"]?.string ?? "The peer reported an error without a message")
    }

    public var body: JSONObject {
        JSONObject([("code", .string(code)), ("status", .int(Int64(status))),
                    ("error", .string(error)), ("message", .string(message))])
    }

    /// The HTTP error body `{"error": ..., "message": ...}` the gateway sends for this error.
    public var httpBody: JSONObject {
        JSONObject([("error", .string(error)), ("message", .string(message))])
    }

    /// Whether this error carries `code`.
    public func has(_ code: IPCErrorCode) -> Bool { self.code == code.rawValue }

    public var description: String { "\(status) \(code): \(message)" }

    // MARK: Common errors

    public static func invalid(code: IPCErrorCode = .invalid, error: String = "Bad Request", message: String) -> IPCError {
        IPCError(code: code, status: 400, error: error, message: message)
    }

    public static func forbidden(code: IPCErrorCode = .forbidden, error: String = "Forbidden", message: String) -> IPCError {
        IPCError(code: code, status: 403, error: error, message: message)
    }

    public static func notFound(code: IPCErrorCode = .notFound, error: String = "Not Found", message: String) -> IPCError {
        IPCError(code: code, status: 404, error: error, message: message)
    }

    public static func conflict(code: IPCErrorCode = .conflict, error: String = "Conflict", message: String) -> IPCError {
        IPCError(code: code, status: 409, error: error, message: message)
    }

    public static func `internal`(code: IPCErrorCode = .`internal`, error: String = "Internal Server Error",
                                  message: String) -> IPCError {
        IPCError(code: code, status: 500, error: error, message: message)
    }

    public static func unavailable(code: IPCErrorCode = .unavailable, error: String = "Service Unavailable",
                                   message: String) -> IPCError {
        IPCError(code: code, status: 503, error: error, message: message)
    }

    /// DESIGN §3: `503 {"error":"Service Unavailable","message":"queue-daemon is not reachable"}`.
    /// Used when the peer is down, the handshake has not completed, or a request timed out.
    public static func unreachable(_ peerName: String, code: IPCErrorCode = .peerUnreachable) -> IPCError {
        .unavailable(code: code, message: "\(peerName) is not reachable")
    }

    /// 400 `validation_failed` "Validation failed": a body field is missing or malformed (`message` names it).
    public static func validationFailed(_ message: String) -> IPCError {
        .invalid(code: .validationFailed, error: "Validation failed", message: message)
    }

    /// The command type has no handler on the receiving daemon.
    public static func unknownCommand(_ type: String) -> IPCError {
        .invalid(code: .unknownCommand, message: "Unknown command \"\(type)\"")
    }
}
