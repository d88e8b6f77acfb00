import Shared

/// The Engine.IO v4 endpoint (`/socket.io/`): validates the query (`EIO=4`, `transport`,
/// `sid`), opens sessions (a polling handshake answers the open packet with
/// `upgrades:["websocket"]`; a WebSocket handshake sends it as the first frame with
/// `upgrades:[]`), routes polling GET/POST to their session, and hands WebSocket upgrades
/// to it. Errors use engine.io's codes (`EngineIOHTTPError`). Polling responses carry CORS
/// headers; handshakes from origins outside the allow-list are refused.
final class EngineIOServer {
    static let path = "/socket.io"
    /// Random bytes in a session id (base64url: 20 characters).
    static let sidRandomBytes = 15

    let loop: EventLoop
    let options: EngineIOServerOptions
    let cors: EngineIOCORS
    private let readBuffer = WebSocketReadBuffer()
    private(set) var sessions: [String: EngineIOSession] = [:]

    /// A new session; set its `onMessage`/`onClose` here (before any client packet arrives).
    var onSession: ((EngineIOSession) -> Void)?

    init(loop: EventLoop, options: EngineIOServerOptions = EngineIOServerOptions()) {
        self.loop = loop
        var options = options
        options.webSocket.limits = WebSocketLimits(maxFramePayload: options.maxPayload, maxMessage: options.maxPayload)
        self.options = options
        cors = EngineIOCORS(allowedOrigins: options.allowedOrigins)
    }

    var sessionCount: Int { sessions.count }

    /// Methods routed to the server (GET and POST are the protocol, OPTIONS the CORS preflight;
    /// the others get 400).
    static let methods = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]

    /// Whether `path` is this endpoint's (its preflights are answered here, not by `CORSPolicy`).
    static func owns(_ path: String) -> Bool { path == Self.path || path.hasPrefix(Self.path + "/") }

    /// Routes every method on `/socket.io/` here. The router retains the server.
    func register(on router: Router) {
        for method in Self.methods {
            router.add(method, Self.path, bodyLimit: options.maxPayload) { request, responder in
                self.handle(request, responder)
            }
        }
    }

    /// Closes every session (shutdown).
    func closeAll() {
        for session in Array(sessions.values) { session.close(.serverClosed) }
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        if request.method == "OPTIONS" { return responder.send(cors.preflightResponse(for: request)) }
        let origin = request.header("Origin")
        let headers = cors.headers(for: origin)
        let fail = { (error: EngineIOHTTPError) in responder.send(error.response(headers: headers)) }
        guard request.query("EIO") == EngineIOLimits.protocolVersion else { return fail(.unsupportedProtocolVersion) }
        guard let transport = request.query("transport"), transport == "polling" || transport == "websocket" else {
            return fail(.unknownTransport)
        }
        let wantsWebSocket = transport == "websocket"
        if let sid = request.query("sid") {
            guard let session = sessions[sid] else { return fail(.unknownSid) }
            guard wantsWebSocket else { return poll(session, request, responder, headers) }
            guard WebSocketUpgrade.isRequested(request), !session.isClosed, session.transport == .polling,
                  session.upgrade == .none else { return fail(.badRequest) }
            guard let link = acceptWebSocket(request, responder) else { return }
            if !session.beginUpgrade(link) { link.close(code: WebSocketCloseCode.normal, reason: "") }
            link.start()
            return
        }
        guard request.method == "GET" else { return fail(.badHandshakeMethod) }
        guard cors.allows(origin) else { return fail(.forbidden) }
        guard sessions.count < options.maxSessions else { return fail(.overloaded) }
        if wantsWebSocket {
            guard WebSocketUpgrade.isRequested(request) else { return fail(.badRequest) }
            guard let link = acceptWebSocket(request, responder) else { return }
            let session = newSession(.webSocket)
            session.attachWebSocket(link)
            onSession?(session)
            session.start()
            link.start()
        } else {
            let session = newSession(.polling)
            let open = options.openPacket(sid: session.sid, upgrades: [EngineIOOpen.webSocketUpgrade])
            responder.send(EngineIOSession.pollingResponse([EngineIOEncodedPacket(.open, text: open.json.text)],
                                                           headers: headers))
            onSession?(session)
            session.start()
        }
    }

    /// `HTTPServer.onBodyStart`: a polling POST's head arrived. Returns the token the connection
    /// holds while that body arrives; a second POST on the same session while one is still
    /// arriving closes the session (engine.io v4: "data request overlap"), so both are then
    /// answered 400.
    func bodyStarted(_ head: HTTPRequestHead) -> AnyObject? {
        guard head.method == "POST", head.rawPath == Self.path || head.rawPath == Self.path + "/",
              let query = head.rawQuery else { return nil }
        var sid: String?
        for (key, value) in PercentDecoding.queryPairs(query) where key == "sid" {
            sid = value
            break
        }
        guard let sid, let session = sessions[sid] else { return nil }
        return session.beginPost()
    }

    private func poll(_ session: EngineIOSession, _ request: HTTPRequest, _ responder: HTTPResponder,
                      _ headers: HTTPHeaders) {
        switch request.method {
        case "GET": session.handleGet(responder, headers: headers)
        case "POST": session.handlePost(request.body, responder, headers: headers)
        default: responder.send(EngineIOHTTPError.badRequest.response(headers: headers))
        }
    }

    private func acceptWebSocket(_ request: HTTPRequest, _ responder: HTTPResponder) -> WebSocketConnection? {
        guard let hijacked = WebSocketUpgrade.accept(request, responder, origins: cors.policy) else { return nil }
        return WebSocketConnection(loop: loop, hijacked: hijacked, options: options.webSocket, readBuffer: readBuffer)
    }

    private func newSession(_ transport: EngineIOSession.Transport) -> EngineIOSession {
        var sid = Base64URL.encode(SecureRandom.bytes(Self.sidRandomBytes))
        while sessions[sid] != nil { sid = Base64URL.encode(SecureRandom.bytes(Self.sidRandomBytes)) }
        let session = EngineIOSession(sid: sid, transport: transport, loop: loop, options: options)
        session.onRemovable = { [weak self] in self?.sessions[sid] = nil }
        sessions[sid] = session
        return session
    }
}
