import Shared

/// A response to send: status, header fields and body bytes. `Content-Length`, `Date` and
/// `Connection` are written by the server (`HTTPResponseWriter`); handlers set the rest.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `application/json` body from a JSON value.
    public static func json(_ status: Int, _ json: JSON, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: json.serialized())
        response.headers.setIfAbsent("Content-Type", "application/json; charset=utf-8")
        return response
    }

    /// The error shape of DESIGN §6: `{"error": <short>, "message": <detail>}`.
    public static func error(_ status: Int, error: String, message: String) -> HTTPResponse {
        json(status, .object(["error": .string(error), "message": .string(message)]))
    }

    /// An error whose short text is the status's reason phrase (`404` → "Not Found").
    public static func error(_ status: Int, message: String) -> HTTPResponse {
        error(status, error: HTTPStatus.reason(status), message: message)
    }

    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(text.utf8))
    }

    public static func bytes(_ status: Int, _ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: body)
    }

    /// No body (204 by default).
    public static func empty(_ status: Int = 204, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    /// Whether the status forbids a body and a Content-Length (1xx, 204, 304).
    public var isBodiless: Bool { status < 200 || status == 204 || status == 304 }

    /// Whether the handler asked for the connection to close after this response.
    public var closesConnection: Bool { headers.containsToken("Connection", "close") }
}

/// Reason phrases for the statuses this server sends.
public enum HTTPStatus {
    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default:
            switch status / 100 {
            case 1: return "Informational"
            case 2: return "Success"
            case 3: return "Redirection"
            case 4: return "Client Error"
            default: return "Server Error"
            }
        }
    }
}
