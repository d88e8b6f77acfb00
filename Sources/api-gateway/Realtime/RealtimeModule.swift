import Shared

/// The realtime layer as a gateway route module: the Socket.IO v4 endpoint `/socket.io/`
/// (Engine.IO v4 long-polling and WebSocket with upgrade, `EngineIOServer` → `SocketIOServer` →
/// `RealtimeHub`), and, when `IBRAT_WS_ECHO=1`, the test-only WebSocket echo `/ws-echo`.
/// `register(on:)` makes the router retain the module, so listing it in `GatewayRoutes` is
/// enough. Other parts of the gateway reach it with `RealtimeModule.active(for: ctx)`
/// (`activeConnections` for the admin system status, `shutdown()` for a graceful stop).
public final class RealtimeModule: RouteModule {
    let ctx: GatewayContext
    let engine: EngineIOServer
    let hub: RealtimeHub
    let echo: WebSocketEchoEndpoint?

    public convenience init(ctx: GatewayContext) {
        let settings = ctx.config.engineIO
        var options = EngineIOServerOptions()
        options.allowedOrigins = ctx.config.corsOrigins
        options.pingInterval = Double(settings.pingIntervalMillis) / 1000
        options.pingTimeout = Double(settings.pingTimeoutMillis) / 1000
        options.maxPayload = settings.maxPayloadBytes
        self.init(ctx: ctx, options: options, connectTimeout: Double(settings.connectTimeoutMillis) / 1000)
    }

    init(ctx: GatewayContext, options: EngineIOServerOptions,
         revalidateInterval: Double = RealtimeHub.defaultRevalidateInterval,
         connectTimeout: Double = SocketIOSocket.defaultConnectTimeout) {
        self.ctx = ctx
        engine = EngineIOServer(loop: ctx.loop, options: options)
        hub = RealtimeHub(engine: engine, backend: GatewayRealtimeBackend(ctx: ctx),
                          revalidateInterval: revalidateInterval, connectTimeout: connectTimeout)
        echo = ctx.config.wsEchoEnabled ? WebSocketEchoEndpoint(loop: ctx.loop) : nil
        hub.echoEnabled = ctx.config.wsEchoEnabled
        Self.registry[ObjectIdentifier(ctx)] = WeakModule(module: self)
    }

    /// Adds `GET|POST /socket.io/` (other methods answer engine.io's 400) and, if enabled,
    /// `GET /ws-echo`.
    public func register(on router: Router) {
        for method in EngineIOServer.methods {
            router.add(method, EngineIOServer.path, bodyLimit: engine.options.maxPayload) { request, responder in
                self.engine.handle(request, responder)
            }
        }
        echo?.register(on: router)
        ctx.logger.info("realtime: Socket.IO at \(EngineIOServer.path)/" + (echo != nil ? ", WebSocket echo at /ws-echo" : ""))
    }

    /// `HTTPServer.onBodyStart` for `/socket.io/` POSTs (overlapping polling POSTs).
    public func bodyStarted(_ head: HTTPRequestHead) -> AnyObject? { engine.bodyStarted(head) }

    /// Authenticated Socket.IO connections (the system status's `activeConnections`).
    public var activeConnections: Int { hub.activeConnections }

    /// `{activeConnections, onlineUsers, sessions}` for status pages.
    public var statusJSON: JSONObject {
        JSONObject([("activeConnections", .int(Int64(hub.activeConnections))),
                    ("onlineUsers", .int(Int64(hub.onlineUsers))),
                    ("sessions", .int(Int64(engine.sessionCount)))])
    }

    /// Closes every Socket.IO session: held polls are answered, WebSockets get a close frame.
    public func shutdown() { hub.shutdown() }

    // MARK: Lookup

    private struct WeakModule {
        weak var module: RealtimeModule?
    }

    /// Modules by context (normally one). `nonisolated(unsafe)`: read and written on the loop thread only.
    nonisolated(unsafe) private static var registry: [ObjectIdentifier: WeakModule] = [:]

    /// The module serving `ctx`, if one was created.
    public static func active(for ctx: GatewayContext) -> RealtimeModule? {
        registry[ObjectIdentifier(ctx)]?.module
    }
}
