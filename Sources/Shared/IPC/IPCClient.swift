/// The requesting side of IPC (docs/IPC.md): connects to a daemon's Unix socket, says `hello`,
/// correlates replies with requests by id, times requests out, and keeps reconnecting with
/// jittered exponential backoff after the peer goes away, re-subscribing to events each time.
/// While the peer is unreachable (or the handshake is not done) a request waits, unsent, for the
/// connection to come back within its own timeout (DESIGN §3: "503 after a short timeout"), so a
/// daemon restart — instant under socket activation — costs no request; when the time runs out it
/// fails with `503 {"error":"Service Unavailable","message":"<peerName> is not reachable"}`.
/// Requests already sent fail the same way when the connection drops (they may have been applied,
/// so they are never resent) or when they time out. Loop thread only; completions run on the loop,
/// never inside `request` itself.
public final class IPCClient {
    public let path: String
    public let role: String
    /// Name used in the 503 message, e.g. "queue-daemon".
    public let peerName: String
    public let timeout: Double
    public let limits: IPCLimits

    /// The handshake completed (after every reconnect, once subscriptions are re-sent).
    public var onConnected: (() -> Void)?
    /// A connection that had completed the handshake was lost (reason).
    public var onDisconnected: ((String) -> Void)?
    /// True between a completed handshake and the loss of that connection.
    public private(set) var isConnected = false
    /// The role the server announced in its `hello`.
    public private(set) var serverRole: String?
    /// Request outcomes, latency and reconnections for `GET /metrics` (nil: not counted).
    public var metrics: IPCClientMetrics?

    private struct Pending {
        let completion: (Result<JSONObject, IPCError>) -> Void
        let timer: TimerSource
    }

    private let loop: EventLoop
    private let logger: (String) -> Void
    private let random: () -> Double
    private var backoff: IPCBackoff
    private var started = false
    private var connection: IPCConnection?
    private var helloID: Int64?
    private var helloTimer: TimerSource?
    private var reconnectTimer: TimerSource?
    private var pending: [Int64: Pending] = [:]
    /// Frames of requests made while disconnected, sent in id order once the handshake completes.
    private var unsent: [Int64: [UInt8]] = [:]
    private var lastConnectAttempt: Double = 0
    private var subscriptions: [(prefixes: [String], handler: (IPCMessage) -> Void)] = []
    private var lastID: Int64 = 0
    private var failuresSinceLog = 0

    /// `random` yields uniform draws in [0, 1) for the reconnection jitter (inject for tests).
    public init(loop: EventLoop, path: String, role: String, peerName: String,
                timeout: Double = IPCLimits.requestTimeout, limits: IPCLimits = .standard,
                random: @escaping () -> Double = { Double.random(in: 0..<1) },
                logger: @escaping (String) -> Void) {
        self.loop = loop
        self.path = path
        self.role = role
        self.peerName = peerName
        self.timeout = timeout
        self.limits = limits
        self.random = random
        self.logger = logger
        self.backoff = IPCBackoff(initial: limits.reconnectInitialDelay, maximum: limits.reconnectMaxDelay,
                                  jitter: limits.reconnectJitter)
    }

    deinit {
        reconnectTimer?.cancel()
        helloTimer?.cancel()
        for entry in pending.values { entry.timer.cancel() }
    }

    /// Connects now and keeps the connection up until `stop()`.
    public func start() {
        loop.assertOnLoop()
        guard !started else { return }
        started = true
        connect()
    }

    /// Closes the connection, stops reconnecting and fails requests in flight.
    public func stop() {
        loop.assertOnLoop()
        started = false
        let waiting = unsent.keys.sorted()
        unsent.removeAll()
        for id in waiting {
            guard let entry = pending.removeValue(forKey: id) else { continue }
            entry.timer.cancel()
            failSoon(entry.completion, .unreachable(peerName))
        }
        reconnectTimer?.cancel()
        reconnectTimer = nil
        connection?.close(reason: "client stopping")
    }

    /// Requests in flight.
    public var pendingCount: Int { pending.count }

    /// Sends the catalogue command `command` with a loose `body` (the IPC layer's own tests; daemons
    /// send typed bodies, `request(_ message:)`, so a mistyped body does not compile).
    func request<Command: IPCCommandName>(_ command: Command, body: JSONObject = JSONObject(), timeout: Double? = nil,
                                                 completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        request(type: command.rawValue, body: body, timeout: timeout, completion: completion)
    }

    /// `request` with a body already serialised as one JSON object (`IPCMessage.encodedRequest`).
    public func request<Command: IPCCommandName>(_ command: Command, rawBody: [UInt8], timeout: Double? = nil,
                                                 completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        request(type: command.rawValue, rawBody: rawBody, timeout: timeout, completion: completion)
    }

    /// Sends the typed body `message` as its command; `completion` gets the reply body or the error.
    public func request<Body: IPCBody>(_ message: Body, timeout: Double? = nil,
                                       completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        request(Body.command, body: message.body, timeout: timeout, completion: completion)
    }

    /// Sends the command `type` with `body` (tests of the IPC layer; daemons send catalogue commands).
    func request(type: String, body: JSONObject = JSONObject(), timeout: Double? = nil,
                        completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        request(type: type, timeout: timeout, completion: completion) { id in
            IPCMessage(type: type, id: id, body: body).encoded()
        }
    }

    /// `request(type:body:)` with a body already serialised as one JSON object.
    func request(type: String, rawBody: [UInt8], timeout: Double? = nil,
                        completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        request(type: type, timeout: timeout, completion: completion) { id in
            IPCMessage.encodedRequest(type: type, id: id, rawBody: rawBody)
        }
    }

    /// Admits a request (started, under the pending limit), then sends the frame `encode` builds for its id.
    private func request(type: String, timeout: Double?, completion: @escaping (Result<JSONObject, IPCError>) -> Void,
                         encode: (Int64) -> [UInt8]) {
        loop.assertOnLoop()
        var completion = completion
        if let metrics, type != IPCMessage.subscribeType {
            let started = MonotonicClock.seconds(), answer = completion
            completion = { result in
                metrics.finished(result, seconds: MonotonicClock.seconds() - started)
                answer(result)
            }
        }
        guard started else { return failSoon(completion, .unreachable(peerName)) }
        guard pending.count < limits.maxPendingRequests else {
            return failSoon(completion, .unavailable(code: .tooManyPending,
                message: "\(peerName) has more than \(limits.maxPendingRequests) requests in flight"))
        }
        let id = nextID()
        send(frame: encode(id), id: id, type: type, timeout: timeout, completion: completion)
    }

    private func send(frame: [UInt8], id: Int64, type: String, timeout: Double?,
                      completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
        guard frame.count - IPCFrameDecoder.headerBytes <= limits.maxFrameBytes else {
            return failSoon(completion, .internal(code: .requestTooLarge,
                message: "The \(type) request exceeds the IPC frame limit"))
        }
        let timer = loop.schedule(after: timeout ?? self.timeout) { [weak self] in self?.timedOut(id) }
        pending[id] = Pending(completion: completion, timer: timer)
        if isConnected, let connection, connection.isOpen {
            connection.send(frame: frame)
        } else {
            unsent[id] = frame
            reconnectNowIfIdle()
        }
    }

    /// A request is waiting: try the socket at once instead of after the backoff delay (at most
    /// every 50 ms), since a restarted daemon is usually back within milliseconds.
    private func reconnectNowIfIdle() {
        guard connection == nil, MonotonicClock.seconds() - lastConnectAttempt > 0.05 else { return }
        reconnectTimer?.cancel()
        reconnectTimer = nil
        connect()
    }

    /// Delivers events whose type starts with one of `prefixes` to `handler`, now and after every
    /// reconnect (the subscription is re-sent automatically).
    public func subscribe(prefixes: [String], handler: @escaping (IPCMessage) -> Void) {
        loop.assertOnLoop()
        subscriptions.append((prefixes, handler))
        if isConnected { sendSubscribe(prefixes) }
    }

    // MARK: Connection lifecycle

    private func connect() {
        reconnectTimer = nil
        guard started, connection == nil else { return }
        lastConnectAttempt = MonotonicClock.seconds()
        let fd: Int32
        do {
            fd = try Socket.connectUnix(path: path)
        } catch {
            return retryLater("cannot connect to \(peerName) at \(path): \(error)")
        }
        let connection: IPCConnection
        do {
            connection = try IPCConnection(loop: loop, fd: fd, limits: limits)
        } catch {
            return retryLater("cannot watch the connection to \(peerName): \(error)")
        }
        self.connection = connection
        connection.onMessage = { [weak self] message in self?.received(message) }
        connection.onClose = { [weak self] reason in self?.closed(reason) }
        let id = nextID()
        helloID = id
        connection.send(IPCMessage(type: IPCMessage.helloType, id: id,
                                   body: ["v": .int(IPCLimits.protocolVersion), "role": .string(role)]))
        guard connection.isOpen else { return }
        let helloTimeout = limits.helloTimeout
        helloTimer = loop.schedule(after: helloTimeout) { [weak connection] in
            connection?.close(reason: "no hello answer within \(helloTimeout) s")
        }
    }

    private func retryLater(_ problem: String) {
        if failuresSinceLog == 0 { logger("ipc \(role): \(problem); retrying with backoff") }
        failuresSinceLog += 1
        guard started else { return }
        let delay = backoff.nextDelay(unit: random())
        reconnectTimer = loop.schedule(after: delay) { [weak self] in self?.connect() }
    }

    private func closed(_ reason: String) {
        let wasConnected = isConnected
        isConnected = false
        connection = nil
        helloID = nil
        helloTimer?.cancel()
        helloTimer = nil
        // Sent requests fail (they may have been applied: never resend); unsent ones keep waiting.
        let failed = pending.filter { unsent[$0.key] == nil }.sorted { $0.key < $1.key }
        for (id, entry) in failed {
            pending[id] = nil
            entry.timer.cancel()
        }
        if !failed.isEmpty {
            // Posted: the close may happen inside `request` (a failed write), whose completion must not run re-entrantly.
            let error = IPCError.unreachable(peerName)
            loop.post { for (_, entry) in failed { entry.completion(.failure(error)) } }
        }
        if wasConnected { onDisconnected?(reason) }
        if started {
            retryLater("connection to \(peerName) lost: \(reason)")
        } else {
            logger("ipc \(role): connection to \(peerName) closed: \(reason)")
        }
    }

    // MARK: Messages

    private func received(_ message: IPCMessage) {
        guard isConnected else { return handshake(message) }
        switch message.type {
        case IPCMessage.replyType, IPCMessage.errorType:
            guard let re = message.re else {
                return logger("ipc \(role): \(peerName) reported: \(IPCError(body: message.body))")
            }
            guard let entry = pending.removeValue(forKey: re) else { return }  // answered after its timeout
            entry.timer.cancel()
            entry.completion(message.type == IPCMessage.replyType ? .success(message.body)
                                                                  : .failure(IPCError(body: message.body)))
        default:
            guard message.isEvent else {
                return logger("ipc \(role): unexpected \(message.type) from \(peerName); ignored")
            }
            for subscription in subscriptions where subscription.prefixes.contains(where: { message.type.hasPrefix($0) }) {
                subscription.handler(message)
            }
        }
    }

    private func handshake(_ message: IPCMessage) {
        guard let connection else { return }
        if message.type == IPCMessage.helloType, message.re == helloID {
            helloTimer?.cancel()
            helloTimer = nil
            isConnected = true
            serverRole = message.body["role"]?.string
            connection.peerRole = serverRole
            backoff.reset()
            failuresSinceLog = 0
            metrics?.connected()
            logger("ipc \(role): connected to \(peerName) at \(path)")
            let prefixes = subscriptions.flatMap(\.prefixes)
            if !prefixes.isEmpty { sendSubscribe(prefixes) }
            let waiting = unsent.sorted { $0.key < $1.key }
            unsent.removeAll()
            for (_, frame) in waiting { connection.send(frame: frame) }
            onConnected?()
        } else if message.type == IPCMessage.errorType {
            connection.close(reason: "hello refused: \(IPCError(body: message.body))")
        } else {
            connection.close(reason: "\(peerName) sent \(message.type) before answering hello")
        }
    }

    private func sendSubscribe(_ prefixes: [String]) {
        var unique: [String] = []
        for prefix in prefixes where !unique.contains(prefix) { unique.append(prefix) }
        request(type: IPCMessage.subscribeType, body: ["prefixes": .array(unique.map(JSON.string))]) { [weak self] result in
            if case .failure(let error) = result, let self {
                self.logger("ipc \(self.role): subscribing to \(unique) on \(self.peerName) failed: \(error)")
            }
        }
    }

    private func timedOut(_ id: Int64) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        let neverSent = unsent.removeValue(forKey: id) != nil
        entry.completion(.failure(neverSent ? .unreachable(peerName) : .unreachable(peerName, code: .peerTimeout)))
    }

    private func failSoon(_ completion: @escaping (Result<JSONObject, IPCError>) -> Void, _ error: IPCError) {
        loop.post { completion(.failure(error)) }
    }

    private func nextID() -> Int64 {
        lastID += 1
        return lastID
    }
}
