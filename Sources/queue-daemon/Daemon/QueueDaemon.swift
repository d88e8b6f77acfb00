/// The queue-daemon (DESIGN §3): sole writer of `leads`, `lead_events` and `queue_settings`.
/// It owns the event loop's queue state: the database connection, the lead and settings stores,
/// the IPC server on `queue.sock` (peers `gateway` and `dialer`), staged CSV imports, the claim
/// expiry timer and the hooks for the auto-dialer (`dispatch`).
///
/// Life cycle: `init` opens and migrates the database and loads the settings (throws on failure);
/// other parts may then append start-up steps (`startup.add`) and register commands
/// (`registerCommand`); `start` runs those steps, expires overdue claims, starts listening and only
/// then sends `READY=1`. `shutdown` (SIGTERM through the `DaemonLauncher`) sends `STOPPING=1`
/// and closes everything. The class never calls `exit()`, so tests can build it on a
/// temp directory with an injected clock and loop.

import Glibc
import Shared

final class QueueDaemon: GracefulShutdown {
    struct Options {
        /// Take the listening socket named `queue` from systemd when present.
        var useSocketActivation = true
        var ipcLimits = IPCLimits.standard
        /// A staged import without activity for this long is discarded.
        var importIdleSeconds = ImportStaging.defaultIdleSeconds
    }

    /// Roles allowed to connect to `queue.sock`.
    static let allowedPeers: Set<String> = ["gateway", "dialer"]
    /// Name of the systemd socket (`FileDescriptorName=queue`).
    static let socketName = "queue"

    let config: Config
    let loop: EventLoop
    let clock: WallClock
    let logger: Logger
    let options: Options
    let db: Database
    let store: LeadStore
    /// The do-not-call list (issue 12).
    let dnc: DoNotCallStore
    let settings: QueueSettingsStore
    let machine: LeadStateMachine
    let writeGate = WriteGate()
    let startup = StartupSequence()
    let imports: ImportStaging
    let events: QueueEventPublisher
    /// Lead time zones from phone numbers (country table read from tzdata at start-up).
    let zoneResolver: TimeZoneResolver
    private(set) lazy var claimExpiry = ClaimExpiryTimer(daemon: self)
    private(set) var server: IPCServer?
    private(set) var isReady = false
    private(set) var isStopped = false
    /// The auto-dialer's hooks (kept alive by the daemon).
    var dispatch: QueueDispatchDelegate?
    private(set) lazy var router = CommandRouter(daemon: self)
    private var extraCommands: [(command: QueueCommand, writes: Bool, handler: CommandRouter.AsyncHandler)] = []
    /// The socket file this process created (not a systemd one), removed again by `stop`.
    private var ownSocketPath: String?

    init(config: Config, loop: EventLoop, clock: WallClock = SystemWallClock(), logger: Logger,
         options: Options = Options()) throws {
        self.config = config
        self.loop = loop
        self.clock = clock
        self.logger = logger
        self.options = options
        try config.ensureDirectories()
        db = try Database(path: config.dbPath, owner: .queue)
        // Statements that fire the lead counters' triggers keep a statement journal: in memory,
        // not spilled to a temporary file past 64 KiB (issue 16, see the dialer-daemon).
        try db.execute("PRAGMA temp_store = MEMORY")
        try Schema.migrate(db, owner: .queue, now: clock.nowMillis())
        settings = try QueueSettingsStore(db: db, defaults: QueueSettings(paused: false,
                                                                         maxConcurrentCalls: config.maxConcurrentCalls,
                                                                         callingHours: config.callingHours,
                                                                         pacingMode: PacingMode(rawValue: config.pacing.mode) ?? .progressive,
                                                                         maxAbandonRate: config.pacing.maxAbandonRate))
        let countries = CountryZoneTable.load()
        if countries.zones.isEmpty {
            logger.warning("no tzdata zone table in \(CountryZoneTable.defaultDirectory): leads get a zone only from "
                           + "NANP area codes or an explicit timezone (install tzdata)")
        }
        zoneResolver = TimeZoneResolver(countries: countries)
        let resolved = try LeadZoneBackfill.run(db: db, resolver: zoneResolver)
        if resolved > 0 { logger.notice("time zones resolved for \(resolved) stored leads") }
        var retry = try RetryPolicy(maxAttempts: config.maxAttempts,
                                    busyBackoffMillis: Int64(config.backoffBusySeconds) * 1000,
                                    noAnswerBackoffMillis: Int64(config.backoffNoAnswerSeconds) * 1000,
                                    failedBackoffMillis: Int64(config.backoffFailedSeconds) * 1000)
        retry.machineBackoffMillis = Int64(config.pacing.backoffMachineSeconds) * 1000
        retry.abandonedBackoffMillis = Int64(config.pacing.backoffAbandonedSeconds) * 1000
        machine = LeadStateMachine(retryPolicy: retry)
        store = LeadStore(db: db, machine: machine)
        dnc = DoNotCallStore(db: db, leads: store)
        imports = ImportStaging(loop: loop, idleSeconds: options.importIdleSeconds)
        events = QueueEventPublisher(store: store)
        imports.onDiscard = { [weak self] session, why in
            self?.logger.notice("import \(session.id) discarded: \(why)",
                                ["USER_ID": session.actorId, "IMPORT_ID": session.id, "ROWS": String(session.rowCount)])
            // Its rows are rolled back off the loop; the write gate opens once the lock is gone.
            guard let self, let transaction = session.transaction else { return }
            session.transaction = nil
            let loop = self.loop
            transaction.rollback(done: loop.bounce { [weak self] in self?.writeGate.release() })
        }
    }

    /// Registers an extra command (e.g. `queue.start_manual_call` from the dispatch helper) on the
    /// same path as the router's own (`writes`: behind the write gate; a throw becomes the error
    /// answer); it is installed when the server starts, or at once when it is already running.
    func registerCommand(_ command: QueueCommand, writes: Bool = false, _ handler: @escaping CommandRouter.AsyncHandler) {
        if let server {
            router.handleAsync(server, command, writes: writes, handler)
        } else {
            extraCommands.append((command, writes, handler))
        }
    }

    /// `registerCommand` for a command taking its typed body (a body that does not decode is
    /// answered with the decoder's 400).
    func registerCommand<Body: IPCBody>(_ type: Body.Type, writes: Bool = false,
                                        _ handler: @escaping (Body, @escaping IPCReply) throws -> Void)
        where Body.Command == QueueCommand {
        registerCommand(Body.command, writes: writes) { request, reply in try handler(try Body(body: request.body), reply) }
    }

    /// Runs the start-up steps, then listens and tells systemd it is ready. `completion` gets
    /// nil once ready, or the error that stopped the start-up (the caller decides the exit code).
    func start(completion: @escaping (Error?) -> Void = { _ in }) {
        startup.run(log: { [weak self] in self?.logger.debug($0) }) { [weak self] error in
            guard let self else { return }
            if let error { return completion(error) }
            do {
                try self.finishStartup()
                completion(nil)
            } catch {
                completion(error)
            }
        }
    }

    private func finishStartup() throws {
        claimExpiry.expireDueClaims()
        let fd = try listeningSocket()
        let server = try IPCServer(loop: loop, listenFD: fd, role: "queue", allowedPeers: Self.allowedPeers,
                                   limits: options.ipcLimits) { [weak self] line in self?.logger.info(line) }
        server.onPeerDisconnected = { [weak self] role, connection, _ in
            self?.imports.discard(connection: connection, reason: "the \(role) connection closed")
        }
        router.install(on: server)
        for extra in extraCommands { router.handleAsync(server, extra.command, writes: extra.writes, extra.handler) }
        extraCommands.removeAll()
        self.server = server
        events.server = server
        loop.enableWatchdog()
        isReady = true
        let status = settings.current.paused ? "paused" : "running"
        SystemdNotify.ready(status: "queue \(status), max \(settings.current.maxConcurrentCalls) concurrent calls")
        logger.notice("queue-daemon ready", ["SOCKET": config.queueSocketPath, "QUEUE_STATE": status])
    }

    /// The systemd socket named `queue`, else a fresh Unix socket at `config.queueSocketPath`.
    private func listeningSocket() throws -> Int32 {
        if options.useSocketActivation, let fd = SocketActivation.takeListeners()[Self.socketName] {
            try SocketActivation.checkStream(fd: fd, name: Self.socketName, expectTCP: false)
            logger.info("using the socket-activated listener \"\(Self.socketName)\"")
            return fd
        }
        let fd = try Socket.listenUnix(path: config.queueSocketPath, mode: 0o660)
        ownSocketPath = config.queueSocketPath
        return fd
    }

    /// SIGTERM: `STOPPING=1`, then `stop`.
    func shutdown(then done: @escaping () -> Void) {
        guard !isStopped else { return }
        SystemdNotify.stopping()
        stop()
        done()
    }

    /// Stops listening, drops staged imports and timers, and closes the database. Idempotent.
    func stop() {
        guard !isStopped else { return }
        isStopped = true
        isReady = false
        dispatch?.queueDaemonStopping()
        claimExpiry.cancel()
        imports.discardAll(reason: "queue-daemon stopping")
        server?.stop()
        server = nil
        if let path = ownSocketPath { unlink(path) }
        ownSocketPath = nil
        events.server = nil
        db.close()
    }
}
