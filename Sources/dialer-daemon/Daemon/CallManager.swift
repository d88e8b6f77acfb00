import Shared

/// The dialer's live calls (DESIGN §3, §5): the only writer of `calls`. Starts calls (insert, then
/// place with the provider), applies operator updates and hangups through `CallStateMachine`,
/// persists every change before publishing it as `event.call_status_changed`, and keeps the live
/// (non-terminal) calls in memory (the database stays the truth; at start-up every live row left by
/// a crash is ended, see `CallManager+Lifecycle`). Provider reports: `CallManager+Provider`. New
/// calls and provider reports are stored by group commit (`CallManager+GroupCommit`).
/// Commands answer `Result<CallRecord, IPCError>`. Loop thread only.
final class CallManager {

    let store: CallStore
    /// Stores new calls and provider reports together (issue 16); every other write commits it first.
    let committer: CallCommitter
    let provider: CallProvider
    let clock: WallClock
    let logger: Logger
    let loop: EventLoop
    /// The caller id (`from_number`) of every call placed.
    let callerId: String
    /// Seconds between retries of provider reports that could not be stored.
    let retryInterval: Double
    /// Sends an event to subscribers (`IPCServer.publish`).
    var publish: (DialerEvent, JSONObject) -> Void = { _, _ in }

    /// Sends the typed event body `event` through `publish`.
    func publishEvent<Body: IPCEventBody>(_ event: Body) where Body.Event == DialerEvent {
        publish(event.event, event.body)
    }
    /// Called after the set of live calls changed (status line).
    var onActiveChanged: () -> Void = {}
    /// `ibrat_calls_total{status}`: calls reaching each status (`DialerMetrics`).
    var statusCounter: MetricFamily<Counter>?

    /// Live calls by id, as last stored.
    var active: [String: CallRecord] = [:]
    /// Provider reports not yet stored (a write failed), by call id, in arrival order.
    var backlog: [String: [CallProviderEvent]] = [:]
    var retryTimer: TimerSource?
    /// Issue 14 (`CallManager+Pacing`): real seconds an answered call without an operator waits.
    var abandonWaitSeconds: Double = Double(PacingConfig().abandonWaitMillis) / 1000
    /// What an abandoned call hears.
    var abandonMessage = PacingConfig().abandonMessage
    var detectsMachines = true
    var abandonTimers: [String: TimerSource] = [:]
    /// Twilio answer webhooks of predictive calls held until `connect_call` or the abandon wait
    /// (`CallManager+Pacing`): called with the operator's phone, or nil to say the message.
    var answerWaiters: [String: (String?) -> Void] = [:]

    init(store: CallStore, provider: CallProvider, clock: WallClock, logger: Logger, loop: EventLoop,
         callerId: String = DialerLimits.simulatedCallerId,
         retryInterval: Double = DialerLimits.persistRetrySeconds,
         commitPolicy: GroupCommitPolicy = .immediate) {
        self.store = store
        self.committer = CallCommitter(store: store, policy: commitPolicy, clock: clock, loop: loop, logger: logger)
        self.provider = provider
        self.clock = clock
        self.logger = logger
        self.loop = loop
        self.callerId = callerId
        self.retryInterval = retryInterval
    }

    /// Live calls, oldest first.
    var activeCalls: [CallRecord] {
        active.values.sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }
    }

    // MARK: Commands

    /// Inserts the call (`initiated`, start time now, the configured caller id) and places it;
    /// `reply` gets the call once it is stored (group commit), or the error.
    /// Idempotent on `callId`: a resend returns the stored call and places nothing.
    func startCall(_ command: StartCallBody, reply: @escaping (Result<CallRecord, IPCError>) -> Void) {
        let now = clock.nowMillis()
        let call = CallRecord(id: command.callId, leadId: command.leadId, operatorId: command.operatorId,
                              mode: command.mode, status: .initiated, from: callerId, to: command.to,
                              startTime: now, createdAt: now, updatedAt: now)
        let outcome: CallStore.InsertOutcome
        do {
            outcome = try admission(of: call)
        } catch {
            logger.error("Could not store new call: \(error)", call.logFields)
            return reply(.failure(DialerErrors.storage(callId: call.id)))
        }
        switch outcome {
        case .existing(let existing):
            guard existing.leadId == command.leadId else {
                return reply(.failure(DialerErrors.callIdConflict(callId: call.id, existing: existing)))
            }
            logger.info("start_call repeated; the call exists and is not placed again", existing.logFields)
            reply(.success(active[existing.id] ?? existing))
        case .leadBusy(let live):
            logger.notice("start_call refused: the lead has a live call \(live.id)", call.logFields)
            reply(.failure(DialerErrors.callInProgress(leadId: command.leadId, live: live)))
        case .inserted:
            let request = CallRequest(callId: call.id, to: call.to, from: call.from,
                                      operatorPhone: command.operatorPhone,
                                      waitsForOperator: call.mode == .automatic && call.operatorId == nil,
                                      detectsMachines: detectsMachines)
            storeNew(call, reply: reply) { [weak self] in
                self?.provider.place(request) { [weak self] event in self?.providerReported(callId: call.id, event) }
            }
        }
    }

    /// `startCall` answered at once (the commit is made before it returns): tests and tools.
    func startCall(_ command: StartCallBody) -> Result<CallRecord, IPCError> {
        var result: Result<CallRecord, IPCError>?
        startCall(command) { result = $0 }
        if result == nil { committer.commit() }
        return result ?? .failure(DialerErrors.storage(callId: command.callId))
    }

    /// An operator's or admin's report (status, notes, duration). Operators may touch only their
    /// own calls. Ending a live call also hangs it up at the provider.
    func updateCall(_ command: UpdateCallBody) -> Result<CallRecord, IPCError> {
        let call: CallRecord
        switch lookup(command.callId) {
        case .failure(let error): return .failure(error)
        case .success(let found): call = found
        }
        if command.actorRole != .admin && call.operatorId != command.actorId {
            logger.notice("update_call refused: not the operator's call",
                          call.logFields.merging(["ACTOR_ID": command.actorId]) { $1 })
            return .failure(DialerErrors.accessDenied(callId: call.id))
        }
        let event = CallEvent.operatorUpdate(status: command.status ?? call.status, notes: command.notes,
                                             duration: command.duration)
        let result = transition(call, event)
        if case .success(let updated) = result { outcomeSubmitted(updated) }
        return result
    }

    /// Ends a call: `canceled` before answer, `completed` after; an ended call is returned as is.
    func hangup(callId: String) -> Result<CallRecord, IPCError> {
        switch lookup(callId) {
        case .failure(let error): return .failure(error)
        case .success(let call): return transition(call, .hangup)
        }
    }

    /// `dialer.status`: the provider and the live calls.
    func statusBody() -> JSONObject {
        let calls = activeCalls.map { call -> JSON in
            .object(JSONObject([("callId", .string(call.id)), ("leadId", .string(call.leadId)),
                                ("operatorId", JSON.from(call.operatorId)), ("status", .string(call.status.rawValue)),
                                ("startTime", CallJSON.time(call.startTime))]))
        }
        return JSONObject([("provider", .string(provider.name)), ("activeCount", .int(Int64(calls.count))),
                           ("activeCalls", .array(calls))])
    }

    // MARK: Shared steps

    /// The live call from memory, else the stored one; 404 when unknown.
    func lookup(_ callId: String) -> Result<CallRecord, IPCError> {
        if let live = active[callId] { return .success(live) }
        committer.commit()
        do {
            guard let stored = try store.load(id: callId) else { return .failure(DialerErrors.callNotFound(callId)) }
            return .success(stored)
        } catch {
            logger.error("Could not read call: \(error)", ["CALL_ID": callId])
            return .failure(DialerErrors.storage(callId: callId))
        }
    }

    /// Applies a command's event, stores and publishes the result, and hangs up the provider
    /// call when a live call ended.
    func transition(_ call: CallRecord, _ event: CallEvent) -> Result<CallRecord, IPCError> {
        let now = clock.nowMillis()
        switch CallStateMachine.apply(event, to: call.snapshot, now: now) {
        case .failure(let error):
            switch error.code {
            case .invalidValue: return .failure(DialerErrors.invalidValue(error.message))
            case .invalidTransition:
                return .failure(DialerErrors.invalidTransition(error.message, current: call.status))
            }
        case .success(let change):
            guard change.changesRecord else { return .success(call) }
            let next = call.applying(change.next, now: now)
            guard persist(next) else { return .failure(DialerErrors.storage(callId: call.id)) }
            let wasLive = active[call.id] != nil
            commit(next, previous: call.status)
            if wasLive && next.status.isTerminal { provider.hangup(callId: next.id) }
            return .success(next)
        }
    }

    /// Stores `call`; on failure logs at error level (debug when `quietly`) and returns false.
    func persist(_ call: CallRecord, quietly: Bool = false) -> Bool {
        committer.commit()
        do {
            try store.update(call)
            return true
        } catch {
            logger.log(quietly ? .debug : .error, "Could not store call: \(error)", call.logFields)
            return false
        }
    }

    /// Takes a stored `call` into memory and, when its status changed from `previous` (nil for a
    /// new call), logs and publishes `event.call_status_changed {call, previousStatus}`.
    func commit(_ call: CallRecord, previous: CallStatus?) {
        enter(call)
        announce(call, previous: previous)
    }

    /// Takes `call` into memory (live calls in `active`), with its pacing timers and status line.
    func enter(_ call: CallRecord) {
        let wasLive = active[call.id] != nil
        active[call.id] = call.status.isTerminal ? nil : call
        pacingCommitted(call)
        if wasLive != (active[call.id] != nil) { onActiveChanged() }
    }

    /// Logs and publishes a stored status change (nothing when the status did not change).
    func announce(_ call: CallRecord, previous: CallStatus?) {
        if previous != call.status {
            var fields = call.logFields
            fields["CALL_STATUS"] = call.status.rawValue
            if let previous { fields["PREVIOUS_STATUS"] = previous.rawValue }
            logger.info("Call \(call.status.rawValue)", fields)
            statusCounter?.labels(call.status.rawValue).inc()
            publishEvent(CallStatusChangedBody(call: call.json, previousStatus: previous?.rawValue))
        }
    }
}
