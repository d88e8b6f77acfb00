import Shared

/// One client's Socket.IO v5 connection on the default namespace, over one Engine.IO session.
/// It decodes the client's packets (a malformed one or a CONNECT_ERROR from the client closes
/// this session only), answers CONNECT with `40{"sid"}` or `44{"message"}`, passes EVENTs up
/// with their ack id, resolves ACKs of events it emitted with an ack callback, and handles
/// DISCONNECT (`41`). BINARY_EVENT and BINARY_ACK are put together with their attachments
/// (`SocketIOBinaryAssembler`) and handled as EVENT and ACK with `attachments`; what the server
/// sends with attachments goes out as the packet followed by one binary message each. Other
/// namespaces are refused with CONNECT_ERROR. The server (`SocketIOServer`) owns the rooms;
/// `identity` is set by the realtime layer on authentication.
final class SocketIOSocket {
    /// Socket.IO's default: a client that does not CONNECT within this is dropped (s).
    static let defaultConnectTimeout = Double(EngineIOSettings.defaultConnectTimeoutMillis) / 1000
    /// Ack callbacks that may wait at once; emits asking for more acks are refused.
    static let maxPendingAcks = 64
    /// Random bytes in a Socket.IO sid (base64url: 20 characters).
    static let sidRandomBytes = 15

    let session: EngineIOSession
    /// The Socket.IO sid while connected to `/` (distinct from the Engine.IO sid).
    private(set) var sid: String?
    /// The authenticated user, nil until `authenticate` (or CONNECT's `auth.token`) succeeds.
    var identity: RealtimeIdentity?
    /// Rooms this socket is in (maintained by `SocketIOServer`).
    var rooms: Set<String> = []
    private var nextAckId: Int64 = 0
    private var pendingAcks: [Int64: ([JSON], [[UInt8]]) -> Void] = [:]
    private var connectTimer: TimerSource?
    private var assembler: SocketIOBinaryAssembler

    /// CONNECT to `/` with the optional auth object; return nil to accept or a message to refuse.
    var onConnect: ((SocketIOSocket, JSONObject?) -> String?)?
    /// Called right after `40{"sid"}` went out.
    var onConnected: ((SocketIOSocket) -> Void)?
    /// An event: name, arguments (binary ones as placeholders), ack id, attachments.
    var onEvent: ((SocketIOSocket, String, [JSON], Int64?, [[UInt8]]) -> Void)?
    /// Left `/` (`41`) or the session ended; called once per connection to `/`.
    var onDisconnect: ((SocketIOSocket, String) -> Void)?
    /// The Engine.IO session ended (after `onDisconnect` when it was connected).
    var onClose: ((SocketIOSocket) -> Void)?

    init(session: EngineIOSession, connectTimeout: Double = SocketIOSocket.defaultConnectTimeout) {
        self.session = session
        assembler = SocketIOBinaryAssembler(maxBytes: session.options.maxPayload)
        session.onMessage = { [weak self] data in self?.received(data) }
        session.onClose = { [weak self] reason in self?.sessionClosed(reason) }
        connectTimer = session.loop.schedule(after: connectTimeout) { [weak self] in
            guard let self, self.sid == nil else { return }
            self.session.close(.serverClosed)
        }
    }

    var isConnected: Bool { sid != nil }
    var isAuthenticated: Bool { identity != nil }

    // MARK: Sending

    /// Sends a packet encoded once elsewhere (broadcasts share it).
    @discardableResult
    func send(_ packet: EngineIOEncodedPacket) -> Bool { session.send(packet) }

    /// Sends a packet, then its attachments (if any) as binary messages.
    @discardableResult
    func send(_ packet: SocketIOPacket) -> Bool {
        guard session.send(EngineIOEncodedPacket(socketIO: packet)) else { return false }
        for attachment in packet.attachments where !session.send(EngineIOEncodedPacket(binaryMessage: attachment)) {
            return false
        }
        return true
    }

    /// Emits `name` with `arguments`; with `ack`, asks the client to acknowledge (its ACK's
    /// arguments are passed to `ack`). False when not connected or too many acks are pending.
    @discardableResult
    func emit(_ name: String, _ arguments: [JSON], ack: (([JSON]) -> Void)? = nil) -> Bool {
        emit(name, arguments, attachments: [], ack: ack.map { ack in { arguments, _ in ack(arguments) } })
    }

    /// Emits with binary `attachments` (placeholders in `arguments`); the client's ack may carry
    /// attachments of its own.
    @discardableResult
    func emit(_ name: String, _ arguments: [JSON], attachments: [[UInt8]],
              ack: (([JSON], [[UInt8]]) -> Void)?) -> Bool {
        guard isConnected else { return false }
        var ackId: Int64?
        if let ack {
            guard pendingAcks.count < Self.maxPendingAcks else { return false }
            ackId = nextAckId
            pendingAcks[nextAckId] = ack
            nextAckId += 1
        }
        return send(.event(name, arguments, ackId: ackId, attachments: attachments))
    }

    /// Answers the client's event that carried `ackId` (a BINARY_ACK with `attachments`).
    func acknowledge(_ ackId: Int64, _ arguments: [JSON], attachments: [[UInt8]] = []) {
        guard isConnected else { return }
        send(.ack(ackId, arguments, attachments: attachments))
    }

    /// Server-side disconnect: `41`, then the Engine.IO session is closed.
    func disconnect(reason: String = "server namespace disconnect") {
        if isConnected {
            send(.disconnect())
            leftNamespace(reason)
        }
        session.close(.serverClosed)
    }

    // MARK: Receiving

    private func received(_ data: EngineIOPacketData) {
        let outcome: SocketIOBinaryAssembler.Outcome
        switch data {
        case .binary(let bytes):
            outcome = assembler.add(bytes)
        case .text(let text):
            guard !assembler.isAssembling, let packet = try? SocketIOPacket.decode(text) else {
                return session.close(.parseError)
            }
            outcome = packet.type.isBinary ? assembler.start(packet) : .complete(packet)
        }
        switch outcome {
        case .complete(let packet): handle(packet)
        case .waiting: break
        case .protocolError: session.close(.parseError)
        }
    }

    private func handle(_ packet: SocketIOPacket) {
        guard packet.namespace == SocketIOLimits.defaultNamespace else {
            if packet.type == .connect { send(.connectError("Invalid namespace", namespace: packet.namespace)) }
            return
        }
        switch packet.type {
        case .connect: connect(auth: packet.auth)
        case .disconnect: if isConnected { leftNamespace("client namespace disconnect") }
        case .event, .binaryEvent:
            guard isConnected, let name = packet.eventName else { return }
            onEvent?(self, name, packet.arguments, packet.ackId, packet.attachments)
        case .ack, .binaryAck:
            guard let id = packet.ackId, let callback = pendingAcks.removeValue(forKey: id) else { return }
            callback(packet.arguments, packet.attachments)
        case .connectError:
            session.close(.parseError)
        }
    }

    private func connect(auth: JSONObject?) {
        if let sid {
            send(.connected(sid: sid))
            return
        }
        if let refusal = onConnect?(self, auth) {
            send(.connectError(refusal))
            return
        }
        connectTimer?.cancel()
        connectTimer = nil
        let newSid = Base64URL.encode(SecureRandom.bytes(Self.sidRandomBytes))
        sid = newSid
        send(.connected(sid: newSid))
        onConnected?(self)
    }

    private func leftNamespace(_ reason: String) {
        sid = nil
        pendingAcks = [:]
        onDisconnect?(self, reason)
    }

    private func sessionClosed(_ reason: EngineIOSession.CloseReason) {
        connectTimer?.cancel()
        connectTimer = nil
        if isConnected { leftNamespace(reason.rawValue) }
        onClose?(self)
        onConnect = nil
        onEvent = nil
        onDisconnect = nil
        onConnected = nil
        onClose = nil
    }
}
