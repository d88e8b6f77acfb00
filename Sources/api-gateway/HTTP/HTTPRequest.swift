import Shared

/// One HTTP request as handlers see it. A class so that middleware can attach what it learns
/// (`user`, `pathParams`, `requestID`, extra response headers) on the way to the handler.
public final class HTTPRequest {
    public let method: String
    /// The request target as sent (path and query, still percent-encoded).
    public let rawTarget: String
    /// The percent-decoded path without the query.
    public let path: String
    /// The decoded path segments (`/api/leads/42` → `["api", "leads", "42"]`), used by the router.
    public let pathSegments: [String]
    public let version: HTTPRequestHead.Version
    public let headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's IP address as text.
    public let remoteAddress: String
    /// The client's address: the peer's, or the one a trusted proxy forwarded (set by the
    /// pipeline through `ClientAddress`). Rate limits and logs use it.
    public lazy var clientAddress: String = remoteAddress
    /// Whether the client asked to keep the connection open after this request.
    public let keepAlive: Bool
    /// When the request was complete (monotonic microseconds).
    public let receivedAtMicros: UInt64

    public var requestID: String = ""
    public var pathParams: [String: String] = [:]
    /// The pattern of the route that matched (`/api/leads/:id`), set by the router.
    public var routePattern: String?
    public var user: AuthUser?
    /// The `Authorization` bearer token once `AuthGuard.bearerToken` parsed it, so the rate limit
    /// and the route's authentication parse it once.
    public var bearerToken: String?
    /// Journal fields a handler learns while answering (`LEAD_ID`, `CALL_ID` of the lead or call
    /// a command is about), added to the request's access-log line.
    public var logFields: [String: String] = [:]
    /// Headers added to whatever response is sent for this request, unless the response sets
    /// the same field itself (CORS, rate-limit and request-id headers).
    public var responseHeaders = HTTPHeaders()

    /// The query text after `?` as received (not decoded), nil without `?`.
    public let rawQuery: Substring?
    /// The form-decoded query parameters in order.
    public private(set) lazy var query: [(String, String)] = rawQuery.map { PercentDecoding.queryPairs($0) } ?? []

    /// Builds a request from a parsed head; throws 400 when the path does not percent-decode.
    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String,
                receivedAtMicros: UInt64 = MonotonicClock.micros()) throws {
        let rawPath = head.rawPath
        guard let path = PercentDecoding.decode(rawPath), let segments = PercentDecoding.pathSegments(rawPath) else {
            throw HTTPParseError.bad("Malformed percent-encoding in the request path")
        }
        method = head.method
        rawTarget = head.target
        self.path = path
        pathSegments = segments
        version = head.version
        headers = head.headers
        self.body = body
        self.remoteAddress = remoteAddress
        keepAlive = head.keepAlive
        self.receivedAtMicros = receivedAtMicros
        rawQuery = head.rawQuery
    }

    /// Convenience for tests and internal callers: `HTTPRequest(method: "GET", target: "/x?a=1")`.
    public convenience init(method: String, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [],
                            remoteAddress: String = "127.0.0.1") throws {
        let head = HTTPRequestHead(method: method, target: target, version: .http11, headers: headers,
                                   framing: body.isEmpty ? .none : .length(body.count))
        try self.init(head: head, body: body, remoteAddress: remoteAddress)
    }

    /// The first value of a header, case-insensitively.
    public func header(_ name: String) -> String? { headers[name] }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        for (k, v) in query where k == name { return v }
        return nil
    }

    /// A path parameter matched by the router (`:id`).
    public func param(_ name: String) -> String? { pathParams[name] }

    public var isHead: Bool { method == "HEAD" }
}
