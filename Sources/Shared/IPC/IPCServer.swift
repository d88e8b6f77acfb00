import Glibc

/// The receiving side of IPC (docs/IPC.md): accepts connections on a listening Unix socket,
/// requires `hello` with protocol version 1 and an allowed role as the first frame, routes
/// commands to handlers registered with `onCommand`, answers `subscribe` itself, and pushes
/// events to subscribers with `publish`. A peer that misbehaves is disconnected and logged; the
/// others are untouched. Two checks guard the door (docs/IPC.md §3, §4): a peer whose uid is
/// neither the daemon's nor root (`SO_PEERCRED`) is closed at accept, before its `hello` is read;
/// a command registered from the catalogue (`onCommand(QueueCommand.…)`) is refused 403
/// `command_not_allowed` and logged when the peer's role is not among its `senders`.
/// Loop thread only.
public final class IPCServer {
    public let role: String
    public let allowedPeers: Set<String>
    public let limits: IPCLimits

    /// Command types whose canonical frames reach their handler as bytes (`IPCRequest.raw`),
    /// for connections accepted from now on.
    public var rawRequestTypes: Set<String> = []
    /// Reads an accepted connection's `SO_PEERCRED` (inject to pose as another user in tests).
    public var peerCredentials: IPCPeerCredentialsProvider = IPCPeerCredentials.of(fd:)
    /// The uid whose peers (and root's) are served: the daemon's own.
    public var daemonUID: UInt32 = geteuid()
    /// A peer completed `hello` (role, connection number).
    public var onPeerConnected: ((String, Int) -> Void)?
    /// A peer that had completed `hello` went away (role, connection number, reason).
    public var onPeerDisconnected: ((String, Int, String) -> Void)?

    let loop: EventLoop
    private let listenFD: Int32
    let logger: (String) -> Void
    private var listenSource: IOSource?
    private var acceptPause: TimerSource?
    private var sessions: [Int: IPCServerSession] = [:]
    private var exactHandlers: [String: IPCCommandHandler] = [:]
    private var prefixHandlers: [(prefix: String, handler: IPCCommandHandler)] = []
    /// The permission table: the roles that may send each catalogue command registered here.
    private var senders: [String: Set<IPCRole>] = [:]
    private var lastMessageID: Int64 = 0

    /// Serves on `listenFD` (a listening, non-blocking Unix socket, owned from now on).
    public init(loop: EventLoop, listenFD: Int32, role: String, allowedPeers: Set<String>,
                limits: IPCLimits = .standard, logger: @escaping (String) -> Void) throws {
        self.loop = loop
        self.listenFD = listenFD
        self.role = role
        self.allowedPeers = allowedPeers
        self.limits = limits
        self.logger = logger
        listenSource = try loop.addIO(fd: listenFD, events: .readable) { [weak self] _ in self?.acceptAll() }
    }

    deinit { stop() }

    /// Roles of the peers that completed `hello`, one entry per connection.
    public var connectedPeers: [String] { sessions.values.compactMap(\.peerRole) }

    /// The command types with an exact handler, sorted (a test walks every command a daemon accepts).
    public var commandTypes: [String] { exactHandlers.keys.sorted() }

    /// Handles the catalogue command `command`, from the roles among its `senders` only.
    public func onCommand<Command: IPCCommandName>(_ command: Command, _ handler: @escaping IPCCommandHandler) {
        loop.assertOnLoop()
        exactHandlers[command.rawValue] = handler
        senders[command.rawValue] = command.senders
    }

    /// Handles the catalogue command of `Body`, decoded: a body that does not decode is answered
    /// with the error its decoder throws (a 400) and never reaches `handler`.
    public func onCommand<Body: IPCBody>(_ type: Body.Type,
                                         _ handler: @escaping (Body, IPCRequest, @escaping IPCReply) -> Void) {
        onCommand(Body.command) { request, reply in
            let decoded: Body
            do {
                decoded = try Body(body: request.body)
            } catch {
                return reply(.failure(error as? IPCError ?? .validationFailed("\(error)")))
            }
            handler(decoded, request, reply)
        }
    }

    /// Handles the command `type` exactly, from any allowed peer (tests of the IPC layer; daemons
    /// register catalogue commands).
    func onCommand(_ type: String, _ handler: @escaping IPCCommandHandler) {
        exactHandlers[type] = handler
    }

    /// Handles every command starting with `prefix` that has no exact handler (longest prefix wins).
    func onCommand(prefix: String, _ handler: @escaping IPCCommandHandler) {
        prefixHandlers.removeAll { $0.prefix == prefix }
        prefixHandlers.append((prefix, handler))
        prefixHandlers.sort { $0.prefix.count > $1.prefix.count }
    }

    /// Pushes the catalogue event `event` with `body` to every connection subscribed to a matching prefix.
    public func publish<Event: IPCEventName>(_ event: Event, body: JSONObject) {
        publish(type: event.rawValue, body: body)
    }

    /// Pushes `event.<noun>_<past>` with `body` to every connection subscribed to a matching prefix.
    func publish(type: String, body: JSONObject) {
        loop.assertOnLoop()
        let message = IPCMessage(type: type, id: nextID(), body: body)
        var frame: [UInt8]?
        for session in sessions.values where session.isReady && session.isSubscribed(to: type) {
            if frame == nil {
                let encoded = message.encoded()
                guard fitsLimit(encoded) else {
                    logger("ipc \(role): event \(type) of \(encoded.count) bytes exceeds the frame limit; not published")
                    return
                }
                frame = encoded
            }
            if let frame { session.connection.send(frame: frame) }
        }
    }

    /// Runs `body` with every connection corked, so the frames it sends to one peer (events,
    /// answers) leave in one write per connection at the end instead of one write each.
    public func corked(_ body: () -> Void) {
        let connections = sessions.values.map(\.connection)
        for connection in connections { connection.cork() }
        body()
        for connection in connections { connection.uncork() }
    }

    /// Stops listening (closing the listening fd) and closes every connection.
    public func stop() {
        loop.assertOnLoop()
        acceptPause?.cancel()
        acceptPause = nil
        if let source = listenSource {
            source.cancel()
            listenSource = nil
            Socket.close(listenFD)
        }
        for session in sessions.values { session.connection.close(reason: "server stopping") }
        sessions.removeAll()
    }

    // MARK: Connections

    private func acceptAll() {
        while true {
            let accepted: AcceptedSocket?
            do {
                accepted = try Socket.acceptOrThrow(listenFD)
            } catch {
                // Out of fds or buffers: stop accepting for a moment instead of spinning.
                logger("ipc \(role): \(error); pausing accept for 100 ms")
                listenSource?.setEvents([])
                acceptPause = loop.schedule(after: 0.1) { [weak self] in self?.listenSource?.setEvents(.readable) }
                return
            }
            guard let accepted else { return }
            guard admits(fd: accepted.fd) else {
                Socket.close(accepted.fd)
                continue
            }
            guard let connection = try? IPCConnection(loop: loop, fd: accepted.fd, limits: limits) else {
                logger("ipc \(role): could not watch an accepted connection")
                continue
            }
            adopt(connection)
        }
    }

    private func adopt(_ connection: IPCConnection) {
        let session = IPCServerSession(connection: connection)
        let number = connection.number
        sessions[number] = session
        connection.farewell = { [weak self] error in
            guard let self else { return nil }
            return IPCMessage.error(to: nil, id: self.nextID(), error.ipcError)
        }
        connection.rawRequestTypes = rawRequestTypes
        connection.onMessage = { [weak self, weak session] message in
            guard let self, let session else { return }
            self.received(message, on: session)
        }
        connection.onClose = { [weak self, weak session] reason in
            session?.helloTimer?.cancel()
            let peer = session?.peerRole
            guard let self else { return }
            self.sessions[number] = nil
            self.logger("ipc \(self.role): \(connection.label) closed: \(reason)")
            if let peer { self.onPeerDisconnected?(peer, number, reason) }
        }
        session.helloTimer = loop.schedule(after: limits.helloTimeout) { [weak self, weak session] in
            guard let self, let session, !session.isReady else { return }
            self.refuse(session, re: nil, .invalid(code: .helloTimeout,
                message: "No hello within \(self.limits.helloTimeout) s"))
        }
    }

    // MARK: Messages

    private func received(_ message: IPCMessage, on session: IPCServerSession) {
        guard let peer = session.peerRole else { return hello(message, on: session) }
        switch message.type {
        case IPCMessage.helloType:
            send(.failure(.invalid(code: .unexpectedHello, message: "hello was already received")), to: message, on: session)
        case IPCMessage.subscribeType:
            subscribe(message, on: session)
        case IPCMessage.replyType, IPCMessage.errorType:
            logger("ipc \(role): \(session.connection.label) sent an unsolicited \(message.type); ignored")
        default:
            guard let handler = handler(for: message.type) else {
                return send(.failure(.unknownCommand(message.type)), to: message, on: session)
            }
            if let allowed = senders[message.type], !allowed.contains(where: { $0.rawValue == peer }) {
                logger("ipc \(role): \(session.connection.label) may not send \(message.type); refused")
                return send(.failure(.forbidden(code: .commandNotAllowed,
                    message: "\(peer) may not send \(message.type) to \(role)")), to: message, on: session)
            }
            guard session.pendingRequests < limits.maxPendingRequests else {
                return send(.failure(.unavailable(code: .tooManyPending,
                    message: "More than \(limits.maxPendingRequests) requests in flight")), to: message, on: session)
            }
            session.pendingRequests += 1
            let request = IPCRequest(type: message.type, id: message.id, body: message.body,
                                     peerRole: peer, connectionNumber: session.connection.number, raw: message.raw)
            var answered = false
            handler(request) { [weak self, weak session] result in
                guard !answered else { return }
                answered = true
                guard let self, let session, session.connection.isOpen else { return }
                session.pendingRequests -= 1
                self.send(result, to: message, on: session)
            }
        }
    }

    private func subscribe(_ message: IPCMessage, on session: IPCServerSession) {
        guard let list = message.body["prefixes"]?.array else {
            return send(.failure(.invalid(message: "subscribe needs \"prefixes\": an array of strings")), to: message, on: session)
        }
        let prefixes = list.compactMap(\.string)
        guard prefixes.count == list.count else {
            return send(.failure(.invalid(message: "subscribe prefixes must be strings")), to: message, on: session)
        }
        guard session.subscribe(prefixes, limit: limits.maxSubscriptionPrefixes) else {
            return send(.failure(.invalid(code: .tooManyPrefixes,
                message: "At most \(limits.maxSubscriptionPrefixes) subscription prefixes")), to: message, on: session)
        }
        send(.success(JSONObject()), to: message, on: session)
    }

    private func handler(for type: String) -> IPCCommandHandler? {
        if let exact = exactHandlers[type] { return exact }
        return prefixHandlers.first { type.hasPrefix($0.prefix) }?.handler
    }

    func send(_ result: Result<JSONObject, IPCError>, to request: IPCMessage, on session: IPCServerSession) {
        var answer: IPCMessage
        switch result {
        case .success(let body): answer = .reply(to: request.id, id: nextID(), body: body)
        case .failure(let error): answer = .error(to: request.id, id: nextID(), error)
        }
        var frame = answer.encoded()
        if !fitsLimit(frame) {
            logger("ipc \(role): answer to \(request.type) is \(frame.count) bytes, over the frame limit")
            answer = .error(to: request.id, id: answer.id, .internal(code: .replyTooLarge,
                message: "The answer exceeds the IPC frame limit"))
            frame = answer.encoded()
        }
        session.connection.send(frame: frame)
    }

    private func fitsLimit(_ frame: [UInt8]) -> Bool {
        frame.count - IPCFrameDecoder.headerBytes <= limits.maxFrameBytes
    }

    func nextID() -> Int64 {
        lastMessageID += 1
        return lastMessageID
    }
}
