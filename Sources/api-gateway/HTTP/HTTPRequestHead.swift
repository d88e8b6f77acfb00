/// The parsed head of one HTTP/1.x request: request line, header fields and the framing the
/// parser derived from them (body length, chunking, keep-alive). Produced by `HTTPParser`.
public struct HTTPRequestHead {
    public enum Version: Equatable, Sendable {
        case http10, http11
        public var text: String { self == .http10 ? "HTTP/1.0" : "HTTP/1.1" }
    }

    /// How the body is delimited.
    public enum Framing: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
    }

    public var method: String
    /// The request target exactly as sent (origin-form: path plus optional `?query`).
    public var target: String
    public var version: Version
    public var headers: HTTPHeaders
    public var framing: Framing

    public init(method: String, target: String, version: Version, headers: HTTPHeaders, framing: Framing = .none) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// Whether the connection may carry another request after this one: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        switch version {
        case .http11: return !headers.containsToken("Connection", "close")
        case .http10: return headers.containsToken("Connection", "keep-alive")
                        && !headers.containsToken("Connection", "close")
        }
    }

    /// `Expect: 100-continue` was sent.
    public var expectsContinue: Bool {
        guard let expect = headers["Expect"] else { return false }
        return HTTPHeaders.namesEqual(trimOWS(expect), "100-continue")
    }

    /// A protocol upgrade request (`Connection: upgrade` and an `Upgrade` field), e.g. WebSocket.
    public var isUpgrade: Bool {
        headers.contains("Upgrade") && headers.containsToken("Connection", "upgrade")
    }

    /// Whether a body follows the head.
    public var hasBody: Bool {
        switch framing {
        case .none: return false
        case .length(let n): return n > 0
        case .chunked: return true
        }
    }

    /// The target up to (not including) `?`.
    public var rawPath: Substring {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return Substring(target)
    }

    /// The part after `?`, or nil.
    public var rawQuery: Substring? {
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.index(after: q)...]
    }
}

/// A request the parser refuses, with the HTTP status to answer and a message for the JSON body.
/// After an error the connection is closed (`Connection: close`).
public struct HTTPParseError: Error, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String
    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { "\(status) \(message)" }

    static func bad(_ message: String) -> HTTPParseError { HTTPParseError(400, message) }
}
