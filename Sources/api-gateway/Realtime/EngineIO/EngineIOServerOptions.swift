/// Settings of the Engine.IO server. The defaults are the production values (python-socketio's
/// and the Node server's); tests shorten the intervals. Every limit is named here.
struct EngineIOServerOptions {
    /// Engine.IO's default: wait this long for the client's `5` after a WebSocket probe (s).
    static let defaultUpgradeTimeout = 10.0
    /// Bytes that may wait in a polling session's outbox before the client is dropped as a slow
    /// consumer (WebSocket sessions use the connection's own outbox limit, the same 1 MiB).
    static let defaultMaxOutboxBytes = 1 << 20
    /// A polling session closed by the server waits this long for the client's next GET, which
    /// receives what is still queued followed by the close packet (s).
    static let defaultPollingCloseGrace = 5.0
    /// Sessions open at once; further handshakes get 503 so a handshake flood cannot grow memory.
    static let defaultMaxSessions = 20_000

    /// Server ping period (s); announced as `pingInterval` in ms.
    var pingInterval = Double(EngineIOLimits.defaultPingIntervalMillis) / 1000
    /// How long to wait for the pong (s); announced as `pingTimeout` in ms.
    var pingTimeout = Double(EngineIOLimits.defaultPingTimeoutMillis) / 1000
    /// Largest polling body or WebSocket message accepted, announced as `maxPayload`.
    var maxPayload = EngineIOLimits.defaultMaxPayloadBytes
    var upgradeTimeout = defaultUpgradeTimeout
    var maxOutboxBytes = defaultMaxOutboxBytes
    var pollingCloseGrace = defaultPollingCloseGrace
    var maxSessions = defaultMaxSessions
    /// Browser origins allowed (polling CORS and the WebSocket handshake); `["*"]` allows all.
    var allowedOrigins: [String] = ["*"]
    /// WebSocket connection limits (frame/message caps follow `maxPayload`).
    var webSocket = WebSocketConnectionOptions()

    init() {}

    /// The open packet a new session announces.
    func openPacket(sid: String, upgrades: [String]) -> EngineIOOpen {
        EngineIOOpen(sid: sid, upgrades: upgrades, pingInterval: Int((pingInterval * 1000).rounded()),
                     pingTimeout: Int((pingTimeout * 1000).rounded()), maxPayload: maxPayload)
    }
}
