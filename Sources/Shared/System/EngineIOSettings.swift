/// The Engine.IO / Socket.IO timing and size settings of the gateway's realtime endpoint, part of
/// `Config`. The defaults are those of the Node `engine.io` server and python-socketio, which
/// panels and their clients expect; a deployment behind a proxy that cuts idle connections
/// sooner shortens `pingInterval`, one whose panels send large acks raises `maxPayload`.
public struct EngineIOSettings: Sendable, Equatable {
    /// `IBRAT_EIO_PING_INTERVAL_MS`: the server sends a ping this often (announced `pingInterval`).
    public var pingIntervalMillis: Int
    /// `IBRAT_EIO_PING_TIMEOUT_MS`: a session whose pong is not back within this closes
    /// (announced `pingTimeout`).
    public var pingTimeoutMillis: Int
    /// `IBRAT_EIO_CONNECT_TIMEOUT_MS`: a client that opens a session but does not send the
    /// Socket.IO CONNECT within this is dropped.
    public var connectTimeoutMillis: Int
    /// `IBRAT_EIO_MAX_PAYLOAD`: the largest polling body or WebSocket message accepted, in bytes
    /// (announced `maxPayload`).
    public var maxPayloadBytes: Int

    public static let defaultPingIntervalMillis = 25_000
    public static let defaultPingTimeoutMillis = 20_000
    public static let defaultConnectTimeoutMillis = 45_000
    public static let defaultMaxPayloadBytes = 1_000_000
    /// Accepted ranges: from 100 ms (tests) to one hour.
    public static let millisRange: ClosedRange<Int> = 100...3_600_000
    /// From 1 KiB (room for a CONNECT and an `authenticate` with its token) to 100 MiB.
    public static let maxPayloadRange: ClosedRange<Int> = 1_024...104_857_600

    public init(pingIntervalMillis: Int = defaultPingIntervalMillis, pingTimeoutMillis: Int = defaultPingTimeoutMillis,
                connectTimeoutMillis: Int = defaultConnectTimeoutMillis, maxPayloadBytes: Int = defaultMaxPayloadBytes) {
        self.pingIntervalMillis = pingIntervalMillis
        self.pingTimeoutMillis = pingTimeoutMillis
        self.connectTimeoutMillis = connectTimeoutMillis
        self.maxPayloadBytes = maxPayloadBytes
    }

    static func parse(_ v: ConfigValues) throws -> EngineIOSettings {
        EngineIOSettings(
            pingIntervalMillis: try v.int("IBRAT_EIO_PING_INTERVAL_MS", default: defaultPingIntervalMillis,
                                          range: millisRange),
            pingTimeoutMillis: try v.int("IBRAT_EIO_PING_TIMEOUT_MS", default: defaultPingTimeoutMillis,
                                         range: millisRange),
            connectTimeoutMillis: try v.int("IBRAT_EIO_CONNECT_TIMEOUT_MS", default: defaultConnectTimeoutMillis,
                                            range: millisRange),
            maxPayloadBytes: try v.int("IBRAT_EIO_MAX_PAYLOAD", default: defaultMaxPayloadBytes,
                                       range: maxPayloadRange))
    }
}
