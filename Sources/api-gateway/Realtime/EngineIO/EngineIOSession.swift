import Shared

/// One Engine.IO v4 session (one client), on long-polling or a WebSocket. Polling: packets queue
/// in a bounded outbox and leave with the next GET, which is held open while nothing is queued
/// (at most one at a time: a second GET is refused and the session closed); a POST body brings
/// `\x1e`-joined packets (two POSTs whose bodies overlap close the session too). The server pings every `pingInterval` and closes the session when the
/// pong is not back within `pingTimeout`. Malformed packets close this session only. The upgrade
/// to WebSocket (`2probe`/`3probe`/noop/`5`) lives in `EngineIOSession+Upgrade.swift`.
final class EngineIOSession {
    enum Transport: Equatable { case polling, webSocket }

    enum CloseReason: String, Equatable {
        case clientClosed = "transport close"
        case pingTimeout = "ping timeout"
        case transportError = "transport error"
        case parseError = "parse error"
        case serverClosed = "server close"
        case slowConsumer = "slow consumer"
    }

    enum UpgradeState: Equatable { case none, probing, probed }
    private enum Liveness { case waitingToPing, waitingForPong }

    let sid: String
    let loop: EventLoop
    let options: EngineIOServerOptions
    var transport: Transport
    private(set) var isClosed = false
    private(set) var closeReason: CloseReason?

    // Polling
    var pendingGet: (responder: HTTPResponder, headers: HTTPHeaders)?
    var outbox: [EngineIOEncodedPacket] = []
    var outboxBytes = 0
    /// Closed by the server with a GET still to come: that GET gets the rest and `1`.
    private var awaitingFinalGet = false
    /// The token of the POST whose body is still arriving (held by its HTTP connection).
    private weak var postInProgress: PostInProgress?

    // WebSocket
    var webSocket: EngineIOWebSocketLink?
    var probe: EngineIOWebSocketLink?
    var upgrade = UpgradeState.none
    var upgradeTimer: TimerSource?

    private var liveTimer: TimerSource?
    private var liveness = Liveness.waitingToPing

    /// A message from the client (`4…`), text or binary.
    var onMessage: ((EngineIOPacketData) -> Void)?
    /// The session ended (called once, before any final GET is answered).
    var onClose: ((CloseReason) -> Void)?
    /// The server may forget the session (after `onClose`, possibly later for polling).
    var onRemovable: (() -> Void)?

    init(sid: String, transport: Transport, loop: EventLoop, options: EngineIOServerOptions) {
        self.sid = sid
        self.transport = transport
        self.loop = loop
        self.options = options
    }

    /// Starts the ping schedule (call once the open packet is on its way).
    func start() {
        liveTimer = loop.schedule(after: options.pingInterval) { [weak self] in self?.livenessTimerFired() }
    }

    // MARK: Sending

    /// Queues or writes a packet. False when the session is closed (or just closed by this send).
    @discardableResult
    func send(_ packet: EngineIOEncodedPacket) -> Bool {
        guard !isClosed else { return false }
        if transport == .webSocket, let webSocket {
            return webSocket.send(frame: packet.webSocketFrame) && !isClosed
        }
        guard outboxBytes + packet.bytes.count <= options.maxOutboxBytes else {
            close(.slowConsumer)
            return false
        }
        outbox.append(packet)
        outboxBytes += packet.bytes.count + 1
        flushPolling()
        return true
    }

    /// Answers the pending GET with everything queued, if there is both.
    func flushPolling() {
        guard transport == .polling, !outbox.isEmpty, let pending = pendingGet else { return }
        guard pending.responder.isConnectionOpen else {
            pendingGet = nil   // the client went away; keep the packets for its next GET
            return
        }
        pendingGet = nil
        pending.responder.send(Self.pollingResponse(drainOutbox(), headers: pending.headers))
    }

    func drainOutbox() -> [EngineIOEncodedPacket] {
        let packets = outbox
        outbox = []
        outboxBytes = 0
        return packets
    }

    static func pollingResponse(_ packets: [EngineIOEncodedPacket], headers: HTTPHeaders) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(packets.reduce(0) { $0 + $1.bytes.count + 1 })
        for (i, packet) in packets.enumerated() {
            if i > 0 { body.append(EngineIOLimits.recordSeparator) }
            body.append(contentsOf: packet.bytes)
        }
        var response = HTTPResponse(status: 200, headers: headers, body: body)
        response.headers.set("Content-Type", "text/plain; charset=UTF-8")
        return response
    }

    // MARK: Polling requests

    /// A GET: answered at once when packets are queued, else held until some are.
    func handleGet(_ responder: HTTPResponder, headers: HTTPHeaders) {
        if isClosed {
            guard awaitingFinalGet else { return responder.send(EngineIOHTTPError.unknownSid.response(headers: headers)) }
            awaitingFinalGet = false
            responder.send(Self.pollingResponse(drainOutbox() + [.close], headers: headers))
            return finishRemoval()
        }
        guard transport == .polling else { return responder.send(EngineIOHTTPError.badRequest.response(headers: headers)) }
        if pendingGet != nil {
            responder.send(EngineIOHTTPError.badRequest.response(headers: headers))
            return close(.transportError)
        }
        pendingGet = (responder, headers)
        if !outbox.isEmpty {
            flushPolling()
        } else if upgrade == .probed {
            pendingGet = nil
            responder.send(Self.pollingResponse([.noop], headers: headers))
        }
    }

    /// Marks the body of a POST as arriving (`EngineIOServer.bodyStarted`). While it is, another
    /// POST is an overlap: the session closes (`transport error`) and nil is returned.
    func beginPost() -> AnyObject? {
        guard !isClosed, transport == .polling else { return nil }
        guard postInProgress == nil else {
            close(.transportError)
            return nil
        }
        let token = PostInProgress()
        postInProgress = token
        return token
    }

    final class PostInProgress {}

    /// A POST with `\x1e`-joined packets: `ok`, then the packets are handled in order. A body
    /// that does not decode gets 400 and closes the session.
    func handlePost(_ body: [UInt8], _ responder: HTTPResponder, headers: HTTPHeaders) {
        guard !isClosed, transport == .polling else {
            return responder.send(EngineIOHTTPError.badRequest.response(headers: headers))
        }
        let packets: [EngineIOPacket]
        do {
            packets = try EngineIOPayload.decode(body, maxBytes: options.maxPayload)
        } catch {
            responder.send(EngineIOHTTPError.badRequest.response(headers: headers))
            return close(.parseError)
        }
        var response = HTTPResponse(status: 200, headers: headers, body: Array("ok".utf8))
        response.headers.set("Content-Type", "text/plain; charset=UTF-8")
        responder.send(response)
        for packet in packets where !isClosed { handle(packet) }
    }

    // MARK: Incoming packets

    func handle(_ packet: EngineIOPacket) {
        switch packet.type {
        case .message: onMessage?(packet.data)
        case .pong: pongReceived()
        case .ping: send(EngineIOEncodedPacket(.pong, text: packet.text ?? ""))
        case .close: close(.clientClosed)
        case .noop: break
        case .open, .upgrade: close(.parseError)
        }
    }

    // MARK: Liveness

    private func livenessTimerFired() {
        guard !isClosed else { return }
        switch liveness {
        case .waitingToPing:
            liveness = .waitingForPong
            liveTimer?.arm(after: options.pingTimeout)
            send(.ping)
        case .waitingForPong:
            close(.pingTimeout)
        }
    }

    private func pongReceived() {
        guard liveness == .waitingForPong else { return }
        liveness = .waitingToPing
        liveTimer?.arm(after: options.pingInterval)
    }

    // MARK: Closing

    /// Ends the session. On a WebSocket a close frame is sent; on polling a held GET receives
    /// what is queued and the close packet `1` (a noop `6` when the client closed the session),
    /// or, when the server closed the session, the client's next GET does (for up to
    /// `pollingCloseGrace`).
    func close(_ reason: CloseReason = .serverClosed) {
        guard !isClosed else { return }
        isClosed = true
        closeReason = reason
        liveTimer?.cancel()
        liveTimer = nil
        cancelUpgrade()
        if let webSocket {
            webSocket.onMessage = nil
            webSocket.onClose = nil
            webSocket.close(code: WebSocketCloseCode.normal, reason: "")
        }
        let callback = onClose
        onClose = nil
        onMessage = nil
        callback?(reason)
        if transport == .polling, let pending = pendingGet {
            pendingGet = nil
            // The client sent `1` itself: its poll ends with a noop, as engine.io does; otherwise
            // it receives what is queued and the close packet.
            let final: [EngineIOEncodedPacket] = reason == .clientClosed ? [.noop] : drainOutbox() + [.close]
            pending.responder.send(Self.pollingResponse(final, headers: pending.headers))
        } else if transport == .polling && reason == .serverClosed {
            awaitingFinalGet = true
            loop.schedule(after: options.pollingCloseGrace) { [weak self] in self?.finishRemoval() }
            return
        }
        finishRemoval()
    }

    private func finishRemoval() {
        awaitingFinalGet = false
        outbox = []
        outboxBytes = 0
        let removable = onRemovable
        onRemovable = nil
        removable?()
    }
}
