import Shared

/// The gateway's realtime behaviour (DESIGN §7, issue 4) on top of `SocketIOServer`:
/// authentication (the `authenticate` event or CONNECT's `auth.token`), the rooms of
/// `RealtimeRooms`, presence (`user_online` / `user_offline` to admins, offline only when a
/// user's last socket goes), server events from the gateway bus (`RealtimeEventTranslator`),
/// and sessions ended once their token expires or is revoked or the user is deactivated
/// (checked every `revalidateInterval` and at once on user change events). Unauthenticated
/// sockets are in no room, so they receive no broadcast. Client events are handled in
/// `RealtimeHub+ClientEvents.swift`.
final class RealtimeHub {
    /// How often every authenticated socket's token and user are re-checked (s).
    static let defaultRevalidateInterval = 30.0
    /// Gateway event (origin `.gateway`, body `{jti, userId}`) that ends sessions of a revoked token.
    static let tokenRevokedEvent = "token_revoked"

    let io: SocketIOServer
    let backend: RealtimeBackend
    /// The test-only `echo` event (`IBRAT_WS_ECHO=1`), see `RealtimeHub+Echo.swift`.
    var echoEnabled = false
    private(set) var presence = RealtimePresence()
    private var guardTimer: TimerSource?

    init(engine: EngineIOServer, backend: RealtimeBackend,
         revalidateInterval: Double = RealtimeHub.defaultRevalidateInterval,
         connectTimeout: Double = SocketIOSocket.defaultConnectTimeout) {
        io = SocketIOServer(engine: engine, connectTimeout: connectTimeout)
        self.backend = backend
        io.onSocket = { [weak self] socket in self?.attach(socket) }
        backend.subscribe { [weak self] event in self?.gatewayEvent(event) }
        guardTimer = engine.loop.repeating(every: revalidateInterval) { [weak self] in self?.revalidateAll() }
    }

    deinit { guardTimer?.cancel() }

    /// Authenticated sockets (`activeConnections` in the admin system status).
    var activeConnections: Int { presence.authenticatedSockets }
    /// Users with at least one authenticated socket.
    var onlineUsers: Int { presence.onlineUsers }

    /// Weak: the sockets belong to the engine's sessions, which can outlive the hub.
    private func attach(_ socket: SocketIOSocket) {
        socket.onConnect = { [weak self] socket, auth in self?.connectRequested(socket, auth) }
        socket.onConnected = { [weak self] socket in
            guard let self, let identity = socket.identity else { return }
            socket.identity = nil
            authenticated(socket, identity, ackId: nil)
        }
        socket.onEvent = { [weak self] socket, name, arguments, ackId, attachments in
            self?.clientEvent(socket, name, arguments, ackId, attachments: attachments)
        }
        socket.onDisconnect = { [weak self] socket, _ in self?.deauthenticate(socket) }
        socket.onClose = { [weak self] socket in self?.deauthenticate(socket) }
    }

    /// CONNECT: without `auth.token` the socket connects unauthenticated; with one, the token
    /// must verify (else CONNECT_ERROR with the `auth_error` message).
    private func connectRequested(_ socket: SocketIOSocket, _ auth: JSONObject?) -> String? {
        guard let token = auth?["token"], !token.isNull else { return nil }
        guard let text = token.string, !text.isEmpty else { return RealtimeAuthFailure.tokenRequired.message }
        switch backend.authenticate(token: text) {
        case .success(let identity):
            socket.identity = identity   // applied by onConnected, once `40{"sid"}` is out
            return nil
        case .failure(let failure):
            return failure.message
        }
    }

    // MARK: Authentication state

    /// Puts an authenticated socket in its rooms, counts it online, and tells it (and admins).
    func authenticated(_ socket: SocketIOSocket, _ identity: RealtimeIdentity, ackId: Int64?) {
        if let current = socket.identity, current.userId != identity.userId { deauthenticate(socket) }
        let isNew = socket.identity == nil
        socket.identity = identity
        syncRooms(socket, identity)
        let cameOnline = isNew && presence.add(identity.userId)
        socket.emit("authenticated", [identity.json])
        if let ackId {
            var reply = identity.json.object ?? JSONObject()
            reply["ok"] = .bool(true)
            socket.acknowledge(ackId, [.object(reply)])
        }
        if cameOnline { io.broadcast("user_online", [identity.json], to: [RealtimeRooms.admin], except: socket) }
    }

    /// Leaves every room and, when it was the user's last socket, reports the user offline.
    func deauthenticate(_ socket: SocketIOSocket) {
        guard let identity = socket.identity else { return }
        socket.identity = nil
        io.leaveAll(socket)
        if presence.remove(identity.userId) {
            io.broadcast("user_offline", [identity.json], to: [RealtimeRooms.admin])
        }
    }

    /// Joins the automatic rooms of `identity` and leaves any room it may no longer be in.
    private func syncRooms(_ socket: SocketIOSocket, _ identity: RealtimeIdentity) {
        for room in socket.rooms where !RealtimeRooms.mayJoin(room, identity) { io.leave(socket, room) }
        for room in RealtimeRooms.automatic(for: identity) { io.join(socket, room) }
    }

    // MARK: Session guard

    /// Re-checks every authenticated socket (timer).
    func revalidateAll() {
        for socket in Array(io.sockets.values) where socket.identity != nil { revalidate(socket) }
    }

    /// Re-checks the sockets of one user (after a change to that user).
    func revalidate(userId: String) {
        for socket in Array(io.sockets.values) where socket.identity?.userId == userId { revalidate(socket) }
    }

    private func revalidate(_ socket: SocketIOSocket) {
        guard let identity = socket.identity else { return }
        guard let current = backend.revalidate(identity) else { return endSession(socket) }
        if current != identity {
            socket.identity = current
            syncRooms(socket, current)
        }
    }

    /// The token or the user is no longer valid: `auth_error`, `41`, and the session is closed.
    func endSession(_ socket: SocketIOSocket) {
        if let identity = socket.identity {
            backend.logger?.info("realtime: session ended (token expired or revoked, or user inactive)",
                                 ["USER_ID": identity.userId])
        }
        socket.emit("auth_error", [.object(["message": .string(RealtimeAuthFailure.userInvalid.message)])])
        deauthenticate(socket)
        socket.disconnect()
    }

    // MARK: Server events

    private func gatewayEvent(_ event: GatewayEvent) {
        if event.origin == .gateway {
            if event.type == Self.tokenRevokedEvent, let jti = event.body["jti"]?.string {
                for socket in Array(io.sockets.values) where socket.identity?.tokenId == jti { revalidate(socket) }
                return
            }
            if let userId = event.body["userId"]?.string { revalidate(userId: userId) }
        }
        for broadcast in RealtimeEventTranslator.translate(event, nowMillis: backend.nowMillis()) {
            io.broadcast(broadcast.event, [broadcast.payload], to: broadcast.rooms)
        }
    }

    /// Closes every session (gateway shutdown).
    func shutdown() {
        guardTimer?.cancel()
        guardTimer = nil
        io.closeAll()
    }
}
