import Shared

/// The dialer-daemon (DESIGN §3–§5, §9): one sd-event loop, the sole writer of `calls`.
/// `start()` creates the directories, opens the database as owner `dialer`, runs its migrations,
/// ends the calls a crash left live (before anything can connect), listens on the socket systemd
/// passed as `dialer` (or on `dialer.sock` in the runtime directory), serves `gateway` and `queue`,
/// places calls with the provider `ProviderSelection` picks (Twilio or the simulation), enables the watchdog and reports READY with a
/// `STATUS=` line kept current. `shutdown(then:)` ends live calls, publishes them and lets the
/// loop drain before calling back. Everything is injected (config, loop, clock, logger,
/// notifier, listeners, seed, timings) so tests run it in-process; there is no global state and no `exit`.
final class DialerDaemon: GracefulShutdown {
    static let role = "dialer"
    static let allowedPeers: Set<String> = ["gateway", "queue"]
    /// `FileDescriptorName=` of the dialer's socket unit.
    static let socketName = "dialer"

    let config: Config
    let loop: EventLoop
    let clock: WallClock
    let logger: Logger
    let notifier: ServiceNotifier
    let seed: UInt64
    let tuning: DialerTuning
    private var activatedListeners: [String: Int32]

    private(set) var database: Database?
    private(set) var manager: CallManager?
    private(set) var server: IPCServer?
    private(set) var provider: CallProvider?
    private var commands: DialerCommands?
    private var reporter: StatusReporter?
    private(set) var isStopping = false

    init(config: Config, loop: EventLoop, clock: WallClock = SystemWallClock(), logger: Logger,
         notifier: ServiceNotifier = .systemd, activatedListeners: [String: Int32] = [:], seed: UInt64? = nil,
         tuning: DialerTuning = .standard) {
        self.config = config
        self.loop = loop
        self.clock = clock
        self.logger = logger
        self.notifier = notifier
        self.activatedListeners = activatedListeners
        self.tuning = tuning
        self.seed = seed ?? config.simSeed ?? UInt64.random(in: UInt64.min...UInt64.max)
    }

    /// Starts everything and sends READY. Throws `DialerStartupError` (with its exit status).
    func start() throws {
        let profile: SimulationProfile
        do {
            try config.ensureDirectories()
            profile = try SimulationProfile(config: config)
        } catch {
            throw DialerStartupError(exitCode: DaemonExit.configError, message: "\(error)")
        }
        let db = try step("cannot open the database \(config.dbPath)") {
            try Database(path: config.dbPath, owner: .dialer)
        }
        database = db
        // A statement that fires triggers (issue 16's counters) keeps a statement journal; past
        // 64 KiB (four 16 KiB pages) SQLite spills it to a temporary file, which cost more CPU
        // than the dialer's own work per call. In memory it is a few page copies.
        try step("cannot configure the database") { try db.execute("PRAGMA temp_store = MEMORY") }
        try step("cannot migrate the database") { try Schema.migrate(db, owner: .dialer, now: clock.nowMillis()) }

        let selection = ProviderSelection.make(config: config, loop: loop, logger: logger, profile: profile, seed: seed)
        let provider = selection.provider
        let manager = CallManager(store: CallStore(db: db), provider: provider, clock: clock, logger: logger,
                                  loop: loop, callerId: selection.callerId, retryInterval: tuning.persistRetry,
                                  commitPolicy: GroupCommitPolicy(commitMillis: config.dialerCommitMillis))
        let waitScale = config.twilio == nil ? config.simTimeScale : 1
        manager.abandonWaitSeconds = Double(config.pacing.abandonWaitMillis) / 1000 * waitScale
        manager.abandonMessage = config.pacing.abandonMessage
        manager.detectsMachines = config.pacing.machineDetection
        let recovered = try step("cannot end the calls left live by the previous run") {
            try manager.recoverAfterRestart(adopt: selection.adoptsAfterRestart)
        }

        let fd = try listener()
        let server = try step("cannot watch the listening socket") { () throws -> IPCServer in
            do {
                return try IPCServer(loop: loop, listenFD: fd, role: Self.role, allowedPeers: Self.allowedPeers) {
                    [logger] in logger.info($0)
                }
            } catch {
                Socket.close(fd)
                throw error
            }
        }
        let commands = DialerCommands(manager: manager)
        selection.attach(to: commands, manager: manager, recovered: recovered.ended, adopted: recovered.adopted,
                         logger: logger)
        commands.register(on: server)
        DialerMetrics.install(on: server, manager: manager, provider: provider.name)
        manager.publish = { [weak server] event, body in server?.publish(event, body: body) }
        manager.committer.sendingTogether = { [weak server] (steps: () -> Void) in
            if let server { server.corked(steps) } else { steps() }
        }
        let reporter = StatusReporter(loop: loop, notifier: notifier, minInterval: tuning.statusInterval,
                                      now: tuning.statusClock) { [weak manager, provider] in
            StatusReporter.line(activeCount: manager?.active.count ?? 0, provider: provider.name)
        }
        manager.onActiveChanged = { [weak reporter] in reporter?.changed() }
        (self.provider, self.manager, self.server, self.commands, self.reporter) =
            (provider, manager, server, commands, reporter)

        loop.enableWatchdog()
        let line = StatusReporter.line(activeCount: 0, provider: provider.name)
        notifier.ready(line)
        reporter.sentWithReady(line)
        logger.notice("dialer-daemon ready: \(line)", [
            "RECOVERED_CALLS": String(recovered.ended.count), "ADOPTED_CALLS": String(recovered.adopted.count), "SIM_SEED": String(seed),
            "SIM_TIME_SCALE": String(profile.timeScale),
        ])
    }

    /// SIGTERM/SIGINT: STOPPING=1, refuse new commands, end live calls as `failed`
    /// (`end_reason='shutdown'`) and publish them, then after `tuning.shutdownGrace` seconds
    /// (the events drain to subscribers) stop the server, close the database and call `done`.
    func shutdown(then done: @escaping () -> Void) {
        guard !isStopping else { return }
        isStopping = true
        notifier.stopping()
        commands?.isStopping = true
        reporter?.cancel()
        let ended = manager?.shutdown() ?? []
        logger.notice("dialer-daemon stopping; ended \(ended.count) live call(s)")
        loop.schedule(after: tuning.shutdownGrace) { [self] in
            server?.stop()
            server = nil
            database?.close()
            done()
        }
    }

    /// The listening socket: systemd's `dialer` fd when socket-activated, else `dialer.sock`.
    /// Other passed fds are closed with a warning.
    private func listener() throws -> Int32 {
        let activated = activatedListeners.removeValue(forKey: Self.socketName)
        for (name, fd) in activatedListeners {
            logger.warning("Ignoring socket \"\(name)\" passed by systemd; the dialer only uses \"\(Self.socketName)\"")
            Socket.close(fd)
        }
        activatedListeners.removeAll()
        if let fd = activated {
            do {
                try SocketActivation.checkStream(fd: fd, name: Self.socketName, expectTCP: false)
            } catch {
                Socket.close(fd)
                throw DialerStartupError(exitCode: DaemonExit.configError, message: "\(error)")
            }
            return fd
        }
        return try step("cannot listen on \(config.dialerSocketPath)") {
            try Socket.listenUnix(path: config.dialerSocketPath, mode: 0o660)
        }
    }

    /// Runs a start-up step; its error becomes a `DialerStartupError` prefixed with `what`.
    private func step<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw DialerStartupError(exitCode: DaemonExit.startupFailure, message: "\(what): \(error)")
        }
    }
}

/// Why the daemon could not start, and the exit status to report.
struct DialerStartupError: Error, CustomStringConvertible {
    let exitCode: Int32
    let message: String
    var description: String { message }
}
