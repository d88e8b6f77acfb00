/// The queue-daemon's auto-dialer (DESIGN §5, issue 3): owns the EDF `LeadScheduler`, the
/// `OperatorPool`, the `DispatchPlanner` and the live-call table, rebuilt from SQL at start-up.
/// Event-driven, no polling tick: whenever something changes (a lead became pending, a call ended,
/// an operator or a setting changed, the wake timer fired) `requestPlan` schedules one planner run
/// for the next loop turn, however many changes came in. Each planned call is written
/// (`pending → calling` guarded on the status, with its `lead_events` row) before
/// `dialer.start_call` is sent, so a lead is never dialled twice; outcomes come back as dialer
/// events (`Dispatcher+Outcomes`), stuck leads are settled by `StuckLeadRecovery`. Dispatching is
/// held while the dialer is unreachable and until recovery has reconciled with it after each
/// (re)connect. Loop thread only; every write goes through the daemon's `WriteGate`.

import Shared

final class Dispatcher {
    // unowned: the daemon owns its dispatcher (`daemon.dispatch`) and stops it in `stop()`; launchers and harnesses keep the daemon as long.
    unowned let daemon: QueueDaemon
    let scheduler = LeadScheduler()
    let operators = OperatorPool()
    let planner: DispatchPlanner
    let liveCalls = LiveCallTable()
    /// Booked call-backs reserved for their operators (issue 12).
    let callbacks = CallbackBook()
    let processed = ProcessedOutcomes()
    let reader: DispatchReader
    /// The dialing rules (calling window, zones) asked about each lead before it is dialed.
    let gate: DispatchRulesGate
    let dialer: IPCClient
    private(set) lazy var recovery = StuckLeadRecovery(dispatcher: self)
    private(set) lazy var statusLine = QueueStatusLine(dispatcher: self)
    /// Why the queue is or is not dialing (issue 17).
    private(set) lazy var explainer = QueueExplainer(dispatcher: self)
    /// Pacing mode, measurements, waiting answered calls, wrap-up (issue 14, `Dispatcher+Pacing`).
    private(set) lazy var pacing = PacingController(config: daemon.config)

    /// Planning is allowed (set once the daemon is ready).
    private(set) var isStarted = false
    private(set) var isStopped = false
    /// Recovery has reconciled with the dialer since its last (re)connect.
    var dialerSynced = false
    private var planScheduled = false
    private var wakeTimer: TimerSource?
    /// When the wake timer fires (wall-clock ms), nil when not armed.
    private(set) var wakeArmedFor: Int64?
    private var holdTimer: TimerSource?
    var recheckTimer: TimerSource?
    /// Delay before recovery re-checks a call whose `start_call` got no answer (tests shorten it).
    var recheckDelay = DispatchLimits.unconfirmedCallRecheckSeconds
    private var sweepTimer: TimerSource?
    private var lastPlanNow: Int64 = .min
    /// Ids of the operators in the pool (`OperatorPool` does not list them).
    var poolIds: Set<OperatorID> = []

    var clock: WallClock { daemon.clock }
    var logger: Logger { daemon.logger }
    var loop: EventLoop { daemon.loop }

    init(daemon: QueueDaemon) {
        self.daemon = daemon
        reader = DispatchReader(db: daemon.db)
        gate = DispatchRulesGate(hours: daemon.settings.current.callingHours,
                                 rules: DialingRules(maxCallsPerNumberPerDay: daemon.config.maxCallsPerNumberPerDay),
                                 maxAttempts: daemon.config.maxAttempts)
        let clock = daemon.clock
        planner = DispatchPlanner(makeCallId: { ObjectID.generate(nowMillis: clock.nowMillis()) })
        let logger = daemon.logger
        dialer = IPCClient(loop: daemon.loop, path: daemon.config.dialerSocketPath, role: DispatchLimits.clientRole,
                           peerName: DispatchLimits.dialerPeerName,
                           timeout: Double(daemon.config.ipcTimeoutMillis) / 1000) { logger.info($0) }
        dialer.onConnected = { [weak self] in self?.dialerConnected() }
        dialer.onDisconnected = { [weak self] reason in self?.dialerDisconnected(reason) }
        dialer.subscribe(prefixes: [DialerEvent.callPrefix]) { [weak self] message in
            self?.dialerEvent(message)
        }
    }

    // MARK: Life cycle

    /// Start-up (before READY): rebuilds the scheduler, the operator pool and the live calls from SQL.
    func loadState() throws {
        let now = clock.nowMillis()
        let entries = try reader.dispatchableEntries()
        scheduler.replaceAll(with: entries)
        try gate.recentCalls.load(from: reader, now: now)
        try callbacks.load(from: daemon.db)
        if entries.count >= ImportCommand.trimAfterRows {
            // The rows read to build the scheduler are freed when this returns: give them back.
            let loop = self.loop
            loop.post { HeapTrimmer.trim(on: loop) }
        }
        let busy = try reader.lastBusyTimes()
        for row in try reader.operators() {
            poolIds.insert(row.id)
            operators.restore(OperatorState(id: row.id, isActive: row.isActive, isAvailable: row.isAvailable,
                                            lastBusyAt: busy[row.id]))
        }
        liveCalls.removeAll()
        for call in try reader.liveCalls() {
            adopt(callId: call.callId, leadId: call.leadId, operatorId: call.operatorId, startTime: call.startTime,
                  mode: call.mode, at: now)
        }
        try loadPacing(now: now)
        logger.notice("dispatch state loaded: \(entries.count) dispatchable leads, \(operators.count) operators, "
                      + "\(liveCalls.count) live calls")
    }

    /// After READY: planning may start; the periodic stuck-lead sweep is armed.
    func start() {
        guard !isStarted, !isStopped else { return }
        isStarted = true
        let interval = Double(daemon.config.stuckSweepSeconds)
        sweepTimer = loop.repeating(every: interval) { [weak self] in self?.periodicSweep() }
        if dialer.isConnected && !dialerSynced { recovery.run(reason: "dialer connected") }
        requestPlan()
    }

    func stop() {
        guard !isStopped else { return }
        isStopped = true
        wakeTimer?.cancel()
        holdTimer?.cancel()
        recheckTimer?.cancel()
        sweepTimer?.cancel()
        statusLine.cancel()
        explainer.cancel()
        dialer.stop()
    }

    private func periodicSweep() {
        daemon.writeGate.perform { [weak self] in self?.refreshOperators() }
        recovery.run(reason: "periodic sweep")
    }

    // MARK: Dialer connection

    private func dialerConnected() {
        logger.notice("connected to the dialer-daemon; reconciling live calls")
        if isStarted { recovery.run(reason: "dialer connected") }
        connectWaiters.forEach { $0() }
        connectWaiters.removeAll()
    }

    private func dialerDisconnected(_ reason: String) {
        dialerSynced = false
        logger.warning("dialer-daemon connection lost (\(reason)); dispatch held until it reconnects")
        statusLine.refresh()
        explainer.refresh()
    }

    /// Start-up step: calls `done` once the dialer is connected or after `seconds`.
    func waitForDialer(seconds: Double, _ done: @escaping () -> Void) {
        dialer.start()
        if dialer.isConnected { return done() }
        var finished = false
        let finish = { if !finished { finished = true; done() } }
        connectWaiters.append(finish)
        loop.schedule(after: seconds) { finish() }
    }

    private var connectWaiters: [() -> Void] = []

    // MARK: Planning

    /// A planner run is scheduled and has not run yet (tests wait for it to settle).
    var isPlanPending: Bool { planScheduled }

    /// Asks for one planner run on the next loop turn (coalesced).
    func requestPlan() {
        guard isStarted, !isStopped, !planScheduled else { return }
        planScheduled = true
        loop.schedule(after: 0) { [weak self] in
            guard let self else { return }
            self.daemon.writeGate.perform { [weak self] in self?.runPlan() }
        }
    }

    /// The wake timer's handler (also called by tests after moving the injected clock).
    func wakeTimerFired() {
        wakeArmedFor = nil
        requestPlan()
    }

    private func runPlan() {
        planScheduled = false
        defer { statusLine.refresh(); pacingAfterPlan(); explainer.refresh() }
        guard isStarted, !isStopped, holdTimer == nil else { return }
        pacingBeforePlan(now: max(clock.nowMillis(), lastPlanNow))
        guard dialer.isConnected, dialerSynced else { return cancelWake() }
        let settings = daemon.settings.current
        let now = max(clock.nowMillis(), lastPlanNow)
        lastPlanNow = now
        let callbackWake = planCallbacks(now: now, paused: settings.paused, maxConcurrentCalls: settings.maxConcurrentCalls)
        let actions = planActions(settings: settings, now: now)
        var wake: Int64?
        for action in actions {
            switch action {
            case .startCall(let leadId, let operatorId, let callId):
                startAutomaticCall(leadId: leadId, operatorId: operatorId, callId: callId, now: now)
            case .wakeAt(let at):
                wake = at
            }
        }
        if let callbackWake { wake = min(wake ?? callbackWake, callbackWake) }
        if let wake { armWake(at: wake, now: now) } else { cancelWake() }
        storeCapHolds(now: now)
    }

    /// Writes the daily-cap holds the planner made (`next_call_time`, `hold_reason`, an event).
    private func storeCapHolds(now: Int64) {
        let holds = gate.takeCapHolds()
        guard !holds.isEmpty else { return }
        do {
            let held = try daemon.db.transaction {
                try holds.filter { try daemon.store.hold(id: $0.leadId, until: $0.until, reason: CallableReason.dailyCap.rawValue,
                                                         now: now) }
            }
            for hold in held {
                logger.info("lead held by the daily call cap until \(Timestamp.iso8601(millis: hold.until))",
                            ["LEAD_ID": hold.leadId])
                if let json = try? daemon.store.json(id: hold.leadId) {
                    daemon.events.leadUpdated(json, actorId: DispatchLimits.systemActor, fields: ["nextCallTime"])
                }
            }
        } catch {
            holdAfterStoreFailure(error, [:])
        }
    }

    /// Rebuilds the scheduler from SQL (leads held under old rules are looked at afresh) and re-plans.
    func reloadQueue() {
        do {
            scheduler.replaceAll(with: try reader.dispatchableEntries())
            requestPlan()
        } catch {
            holdAfterStoreFailure(error, [:])
        }
    }

    private func armWake(at: Int64, now: Int64) {
        wakeArmedFor = at
        let delay = Double(max(0, at - now)) / 1000
        if let wakeTimer {
            wakeTimer.arm(after: delay)
        } else {
            wakeTimer = loop.schedule(after: delay) { [weak self] in self?.wakeTimerFired() }
        }
    }

    private func cancelWake() {
        wakeTimer?.cancel()
        wakeArmedFor = nil
    }

    /// A database read or write failed (disk full, I/O error): no dispatching for a moment, then
    /// the scheduler is rebuilt from SQL (a lead taken out for a failed write comes back) and
    /// planning resumes, so a broken disk never turns into a hot loop.
    func holdAfterStoreFailure(_ error: Error, _ fields: [String: String]) {
        logger.error("dispatch database access failed: \(error); retrying in \(DispatchLimits.storeFailureRetrySeconds) s",
                     fields)
        guard holdTimer == nil else { return }
        holdTimer = loop.schedule(after: DispatchLimits.storeFailureRetrySeconds) { [weak self] in
            guard let self else { return }
            self.daemon.writeGate.perform { [weak self] in
                guard let self else { return }
                self.holdTimer = nil
                do {
                    self.scheduler.replaceAll(with: try self.reader.dispatchableEntries())
                    self.requestPlan()
                } catch {
                    self.holdAfterStoreFailure(error, [:])
                }
            }
        }
    }
}
