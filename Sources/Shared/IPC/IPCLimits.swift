/// Every limit and timing of the IPC protocol (DESIGN §3, docs/IPC.md "Limits") as a named constant.
/// The static constants are the contract; an `IPCLimits` value carries the same numbers into a
/// server, client or connection, so tests can shrink a timeout without touching the defaults.
public struct IPCLimits: Sendable {
    /// Protocol version carried in every envelope and in `hello`.
    public static let protocolVersion: Int64 = 1
    /// Largest accepted frame body (the 4-byte header excluded). 0 or more closes the connection.
    public static let maxFrameBytes = 1 << 20
    /// A fresh connection must complete `hello` within this many seconds, or it is closed.
    public static let helloTimeout = 2.0
    /// How long a client waits for a reply before failing the request with 503.
    public static let requestTimeout = 1.5
    /// Requests in flight on one connection; beyond it the client fails fast and the server answers 503.
    public static let maxPendingRequests = 1024
    /// Unsent bytes queued for one peer; beyond it the peer is considered stuck and disconnected.
    public static let maxOutboundBytes = 8 << 20
    /// Prefixes one connection may subscribe to.
    public static let maxSubscriptionPrefixes = 32
    /// Bytes read per `read(2)`; a readiness wake reads at most `maxReadsPerWake` of them (fairness).
    public static let readChunkBytes = 64 << 10
    public static let maxReadsPerWake = 16
    /// Seconds an error frame may take to drain before a refused connection is closed anyway.
    public static let closeLinger = 0.5
    /// Client reconnection backoff: first delay, ceiling, and ± jitter fraction.
    public static let reconnectInitialDelay = 0.05
    public static let reconnectMaxDelay = 2.0
    public static let reconnectJitter = 0.3

    public var maxFrameBytes = IPCLimits.maxFrameBytes
    public var helloTimeout = IPCLimits.helloTimeout
    public var requestTimeout = IPCLimits.requestTimeout
    public var maxPendingRequests = IPCLimits.maxPendingRequests
    public var maxOutboundBytes = IPCLimits.maxOutboundBytes
    public var maxSubscriptionPrefixes = IPCLimits.maxSubscriptionPrefixes
    public var closeLinger = IPCLimits.closeLinger
    public var reconnectInitialDelay = IPCLimits.reconnectInitialDelay
    public var reconnectMaxDelay = IPCLimits.reconnectMaxDelay
    public var reconnectJitter = IPCLimits.reconnectJitter

    public init() {}

    /// The contract's values.
    public static let standard = IPCLimits()
}
