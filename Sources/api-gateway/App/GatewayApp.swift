import Shared

/// The api-gateway process put together (DESIGN §3, §9): database and migrations, JWT secret,
/// first admin, IPC clients to both daemons (every `event.` they push goes to the event bus),
/// the HTTP listener (systemd fd named `http`, else `IBRAT_HTTP_HOST:PORT`), the middleware
/// pipeline and routes, the watchdog, `READY=1` and `STATUS=` updates, and a graceful stop.
/// Built from an injected configuration on a given loop and never calls `exit()`, so tests can
/// run it; `main.swift` maps `GatewayStartupError.exitCode` to the process exit status.
public final class GatewayApp: GracefulShutdown {
    /// Longest wait for requests in flight after SIGTERM before connections are closed.
    public static let drainTimeoutSeconds = 5.0
    /// After SIGTERM, connections already accepted get this long to deliver a request before idle
    /// ones are closed: a client that connected just before the stop (its request still in the
    /// socket, or on the way) is served instead of reset. New connections wait in the listening
    /// socket meanwhile (for the next process, under systemd).
    public static let stopGraceSeconds = 0.2
    /// The socket-activation name of the HTTP listener (`FileDescriptorName=http`).
    public static let listenerName = "http"

    public let config: Config
    public let loop: EventLoop
    public let logger: Logger
    public let clock: WallClock
    /// Take the listener from systemd when one named `http` was passed (off in tests).
    public var useSocketActivation = true
    public private(set) var ctx: GatewayContext?
    public private(set) var pipeline: GatewayPipeline?
    public private(set) var server: HTTPServer?
    /// The TCP port actually bound (useful with port 0).
    public private(set) var port: UInt16 = 0
    private var listenFD: Int32 = -1
    private var stopping = false
    private var drainTimer: TimerSource?
    private var finishStop: (() -> Void)?

    public init(config: Config, loop: EventLoop, logger: Logger, clock: WallClock = SystemWallClock()) {
        self.config = config
        self.loop = loop
        self.logger = logger
        self.clock = clock
    }

    deinit {
        if listenFD >= 0 { Socket.close(listenFD) }
    }

    /// Opens everything and starts serving; throws `GatewayStartupError`.
    public func start() throws {
        do { try config.ensureDirectories() } catch { throw GatewayStartupError.config("\(error)") }
        if let web = try StaticRoutes.webRoot(config) { logger.info("web console served from \(web)") }
        let db: Database
        do {
            db = try Database(path: config.dbPath, owner: .gateway)
            try Schema.migrate(db, owner: .gateway, now: clock.nowMillis())
        } catch {
            throw GatewayStartupError("IBRAT_DB (\(config.dbPath)): cannot open or migrate the database: \(error)")
        }
        let secret = try JWTSecretLoader.load(config: config, logger: logger)
        let ctx: GatewayContext
        do {
            ctx = try GatewayContext(loop: loop, config: config, logger: logger, db: db, clock: clock, jwtSecret: secret)
        } catch {
            throw GatewayStartupError("cannot load the token revocation list: \(error)")
        }
        self.ctx = ctx
        do { _ = try AdminBootstrap.run(ctx: ctx) } catch let error as GatewayStartupError { throw error } catch {
            throw GatewayStartupError("cannot create the first admin: \(error)")
        }
        ctx.tokens.startPruning(on: loop) { [logger] error in logger.warning("revoked-token prune failed: \(error)") }
        startIPC(ctx)

        let router = GatewayRoutes.makeRouter(ctx)
        let pipeline = GatewayPipeline(router: router, config: config, clock: clock, logger: logger,
                                       tokens: ctx.tokens)
        pipeline.metrics = ctx.metrics
        self.pipeline = pipeline
        try openListener()
        let server: HTTPServer
        do {
            server = try HTTPServer(loop: loop, listenFD: listenFD) { request, responder in
                pipeline.handle(request, responder)
            }
        } catch {
            throw GatewayStartupError("cannot serve HTTP: \(error)")
        }
        server.bodyLimit = { head in router.bodyLimit(for: head) }
        if let realtime = RealtimeModule.active(for: ctx) {
            server.onBodyStart = { [weak realtime] head in realtime?.bodyStarted(head) }
        }
        server.onResponse = { request, status, micros in pipeline.accessLog(request, status: status, micros: micros) }
        server.onAcceptError = { [logger] error in logger.error("accept failed: \(error)") }
        server.onRejected = { [logger] address, error in logger.debug("refused a request from \(address): \(error)") }
        self.server = server
        loop.enableWatchdog()
        _ = SystemdNotify.ready(status: statusText())
    }

    private func startIPC(_ ctx: GatewayContext) {
        for peer in IPCPeer.allCases {
            let client = ctx.client(peer)
            let origin: GatewayEvent.Origin = peer == .queue ? .queue : .dialer
            client.subscribe(prefixes: [IPCMessage.eventPrefix]) { [weak ctx] message in
                ctx?.events.publish(GatewayEvent(origin: origin, type: message.type, body: message.body))
            }
            client.onConnected = { [weak self] in
                self?.logger.notice("connected to \(peer.daemonName)")
                self?.updateStatus()
            }
            client.onDisconnected = { [weak self] reason in
                self?.logger.warning("lost the connection to \(peer.daemonName): \(reason)")
                self?.updateStatus()
            }
            client.start()
        }
    }

    private func openListener() throws {
        if useSocketActivation, let fd = SocketActivation.takeListeners()[Self.listenerName] {
            do {
                try SocketActivation.checkStream(fd: fd, name: Self.listenerName, expectTCP: true)
            } catch {
                throw GatewayStartupError.config("\(error)")
            }
            listenFD = fd
            port = Socket.localPort(fd) ?? 0
            logger.info("listening on the socket-activated fd \"\(Self.listenerName)\" (port \(port))")
            return
        }
        do {
            listenFD = try Socket.listenTCP(host: config.httpHost, port: config.httpPort)
        } catch {
            throw GatewayStartupError("IBRAT_HTTP_HOST/IBRAT_HTTP_PORT: cannot listen on "
                                      + "\(config.httpHost):\(config.httpPort): \(error)")
        }
        port = Socket.localPort(listenFD) ?? config.httpPort
        logger.info("listening on http://\(config.httpHost):\(port)")
    }

    /// `serving on 127.0.0.1:5000, queue-daemon up, dialer-daemon down`.
    public func statusText() -> String {
        var parts = ["serving on \(config.httpHost):\(port)"]
        if let ctx {
            for peer in IPCPeer.allCases {
                parts.append("\(peer.daemonName) \(ctx.client(peer).isConnected ? "up" : "down")")
            }
        }
        return parts.joined(separator: ", ")
    }

    private func updateStatus() {
        guard !stopping else { return }
        _ = SystemdNotify.status(statusText())
    }

    /// Graceful stop: `STOPPING=1`, stop accepting, serve what accepted connections send within
    /// `stopGraceSeconds`, let requests in flight finish (at most `drainTimeoutSeconds` more),
    /// close connections and IPC clients, then `completion`.
    public func shutdown(then completion: @escaping () -> Void) {
        guard !stopping else { return }
        stopping = true
        _ = SystemdNotify.stopping()
        if let ctx { RealtimeModule.active(for: ctx)?.shutdown() }
        logger.notice("stopping: no new connections; waiting for \(pipeline?.inFlight ?? 0) request(s)")
        server?.stopAccepting()
        finishStop = { [weak self] in
            guard let self else { return completion() }
            drainTimer?.cancel()
            pipeline?.onIdle = nil
            server?.shutdown()
            if listenFD >= 0 { Socket.close(listenFD) }
            listenFD = -1
            for client in [ctx?.queue, ctx?.dialer] { client?.stop() }
            finishStop = nil
            completion()
        }
        drainTimer = loop.schedule(after: Self.stopGraceSeconds) { [weak self] in self?.drainRequests() }
    }

    /// After the grace period: finish once no request is in flight, or after `drainTimeoutSeconds`.
    private func drainRequests() {
        if (pipeline?.inFlight ?? 0) == 0 { return finishStop?() ?? () }
        pipeline?.onIdle = { [weak self] in self?.loop.post { self?.finishStop?() } }
        drainTimer = loop.schedule(after: Self.drainTimeoutSeconds) { [weak self] in
            self?.logger.warning("stopping with requests still in flight after \(Self.drainTimeoutSeconds) s")
            self?.finishStop?()
        }
    }
}
