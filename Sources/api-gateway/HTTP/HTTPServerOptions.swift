/// Timeouts and resource limits of `HTTPServer` (DESIGN §6: header/idle timeouts against slow
/// clients). The defaults are the production values; tests shorten the timeouts.
public struct HTTPServerOptions {
    /// From the first byte of a request head to its end; beyond it 408 and close (slow-loris).
    public static let defaultHeaderTimeout = 10.0
    /// A kept-alive connection with no request in progress is closed after this.
    public static let defaultIdleTimeout = 60.0
    /// A request body that makes no progress for this long is answered 408 and closed.
    public static let defaultBodyStallTimeout = 30.0
    /// A response the peer does not read for this long closes the connection.
    public static let defaultWriteStallTimeout = 30.0
    /// After a closing response, unread input is drained for at most this long before close(2),
    /// so the client sees the response instead of a reset.
    public static let defaultLingerTimeout = 2.0
    /// Connections beyond this are accepted and closed at once.
    public static let defaultMaxConnections = 10_000
    /// Requests parsed but not yet answered on one connection before reading pauses.
    public static let defaultMaxPendingRequests = 16
    /// Queued response bytes on one connection before reading pauses.
    public static let defaultMaxOutboundBytes = 1024 * 1024
    /// Size of the server's shared read buffer (one read(2) per readiness event).
    public static let defaultReadBufferBytes = 64 * 1024

    public var headerTimeout = defaultHeaderTimeout
    public var idleTimeout = defaultIdleTimeout
    public var bodyStallTimeout = defaultBodyStallTimeout
    public var writeStallTimeout = defaultWriteStallTimeout
    public var lingerTimeout = defaultLingerTimeout
    public var maxConnections = defaultMaxConnections
    public var maxPendingRequests = defaultMaxPendingRequests
    public var maxOutboundBytes = defaultMaxOutboundBytes
    public var readBufferBytes = defaultReadBufferBytes

    public init() {}
}
