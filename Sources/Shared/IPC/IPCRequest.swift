/// A command as a server-side handler sees it: the envelope's type, id and body, plus who sent it
/// (the role the peer announced in `hello`, and its connection number for log lines).
public struct IPCRequest: Sendable {
    public let type: String
    public let id: Int64
    public let body: JSONObject
    /// `gateway`, `queue` or `dialer`.
    public let peerRole: String
    public let connectionNumber: Int
    /// The frame as bytes for a type the server takes raw (`IPCServer.rawRequestTypes`); `body`
    /// is then empty.
    public let raw: IPCRawRequest?

    public init(type: String, id: Int64, body: JSONObject, peerRole: String, connectionNumber: Int,
                raw: IPCRawRequest? = nil) {
        self.type = type
        self.id = id
        self.body = body
        self.peerRole = peerRole
        self.connectionNumber = connectionNumber
        self.raw = raw
    }
}

/// Answers one request: `.success(body)` sends a `reply`, `.failure(error)` an `error`. Call it on
/// the loop thread, now or later; the first call wins, later calls and calls after the requester
/// disconnected do nothing.
public typealias IPCReply = (Result<JSONObject, IPCError>) -> Void

/// A command handler registered with `IPCServer.onCommand`.
public typealias IPCCommandHandler = (IPCRequest, @escaping IPCReply) -> Void
