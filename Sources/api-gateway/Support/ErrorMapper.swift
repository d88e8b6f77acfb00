import Shared

/// Turns any error a handler hits into the response the client gets, never leaking SQL, file
/// paths or stack traces (fix of bug 26):
/// - `HTTPError` → its own response;
/// - `IPCError` → its status with its `{error, message}` (the owner daemon chose them);
/// - a database missing another daemon's tables (`no such table`) → 503 `<daemon> has not
///   initialised the database yet`; a busy database → 503;
/// - anything else → logged at error with `REQUEST_ID`, answered 500
///   `{"error":"Internal Server Error","message":"An unexpected error occurred (request <id>)"}`.
public struct ErrorMapper {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func response(for error: Error, request: HTTPRequest) -> HTTPResponse {
        switch error {
        case let error as HTTPError:
            return error.response
        case let error as IPCError:
            return .json(error.status, .object(error.httpBody))
        case let error as DatabaseError where error.isNoSuchTable:
            let daemon = Self.daemonName(forMissingTableIn: error.message)
            logger.warning("database table missing: \(error.message)", fields(request))
            return .error(503, error: "Service Unavailable", message: "\(daemon) has not initialised the database yet")
        case let error as DatabaseError where error.isBusy:
            logger.warning("database busy: \(error.message)", fields(request))
            return .error(503, error: "Service Unavailable", message: "The database is busy; please retry")
        default:
            logger.error("internal error: \(error)", fields(request))
            return Self.internalServerError(requestID: request.requestID)
        }
    }

    /// 500 without details beyond the request id (which the log line carries too).
    public static func internalServerError(requestID: String) -> HTTPResponse {
        let suffix = requestID.isEmpty ? "" : " (request \(requestID))"
        return .error(500, error: "Internal Server Error", message: "An unexpected error occurred" + suffix)
    }

    /// `no such table: calls` → `dialer-daemon` (the owner of that table), else `queue-daemon`.
    static func daemonName(forMissingTableIn message: String) -> String {
        let table = message.split(separator: ":").last.map { String(Substring($0).trimmingASCIISpaces()) } ?? ""
        let bare = table.split(separator: ".").last.map(String.init) ?? table
        switch TableOwner.owner(of: bare) {
        case .dialer?: return "dialer-daemon"
        case .gateway?: return "api-gateway"
        default: return "queue-daemon"
        }
    }

    private func fields(_ request: HTTPRequest) -> [String: String] {
        var fields = ["REQUEST_ID": request.requestID, "HTTP_PATH": request.path]
        if let user = request.user { fields["USER_ID"] = user.id }
        return fields
    }
}
