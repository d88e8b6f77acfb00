import XCTest
@testable import api_gateway
@testable import Shared

/// A `RealtimeBackend` for tests: tokens map to identities; the test revokes, deactivates,
/// publishes bus events and answers `update_call_notes` by hand.
final class FakeRealtimeBackend: RealtimeBackend {
    var identities: [String: RealtimeIdentity] = [:]
    var inactiveUsers: Set<String> = []
    var revokedTokens: Set<String> = []
    var roles: [String: UserRole] = [:]
    var availability: [(String, Bool)] = []
    var availabilityError: RealtimeActionError?
    var noteRequests: [(RealtimeIdentity, String, String, (Result<JSONObject, RealtimeActionError>) -> Void)] = []
    private var handlers: [(GatewayEvent) -> Void] = []
    var now: Int64 = 1_700_000_000_000

    @discardableResult
    func addUser(_ id: String, role: UserRole, name: String, token: String) -> RealtimeIdentity {
        let identity = RealtimeIdentity(user: AuthUser(id: id, role: role, name: name, email: ""), tokenId: "jti-" + token,
                                        tokenExpiresAt: now / 1000 + 3600)
        identities[token] = identity
        return identity
    }

    func authenticate(token: String) -> Result<RealtimeIdentity, RealtimeAuthFailure> {
        guard let identity = identities[token], !revokedTokens.contains(identity.tokenId) else {
            return .failure(.tokenRejected)
        }
        guard !inactiveUsers.contains(identity.userId) else { return .failure(.userInvalid) }
        return .success(identity)
    }

    func revalidate(_ identity: RealtimeIdentity) -> RealtimeIdentity? {
        guard !revokedTokens.contains(identity.tokenId), !inactiveUsers.contains(identity.userId) else { return nil }
        var current = identity
        if let role = roles[identity.userId] {
            current.user = AuthUser(id: identity.userId, role: role, name: identity.name, email: identity.user.email)
        }
        return current
    }

    func setAvailability(_ identity: RealtimeIdentity, isAvailable: Bool) -> Result<Bool, RealtimeActionError> {
        if let availabilityError { return .failure(availabilityError) }
        availability.append((identity.userId, isAvailable))
        return .success(isAvailable)
    }

    func updateCallNotes(_ identity: RealtimeIdentity, callId: String, notes: String,
                         completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void) {
        noteRequests.append((identity, callId, notes, completion))
    }

    func subscribe(_ handler: @escaping (GatewayEvent) -> Void) { handlers.append(handler) }
    func publish(_ event: GatewayEvent) { for handler in handlers { handler(event) } }
    func nowMillis() -> Int64 { now }
    var logger: Logger? { nil }
}

/// A Socket.IO client on a fake WebSocket link: what it sends goes straight into its Engine.IO
/// session; `events` decodes what the server sent.
final class FakeSocketIOClient {
    let link = FakeWebSocketLink()
    let session: EngineIOSession

    init(engine: EngineIOServer, sid: String) {
        session = EngineIOSession(sid: sid, transport: .webSocket, loop: engine.loop, options: engine.options)
        session.attachWebSocket(link)
        engine.onSession?(session)
    }

    /// Socket.IO packets received (the text after the Engine.IO `4`), without the open packet.
    var packets: [String] { link.texts.filter { $0.hasPrefix("4") }.map { String($0.dropFirst()) } }
    /// Decoded EVENTs received: name and first argument.
    var events: [(name: String, payload: JSON?)] {
        packets.compactMap { try? SocketIOPacket.decode($0) }.filter { $0.type == .event }
            .compactMap { p in p.eventName.map { ($0, p.arguments.first) } }
    }
    func eventNames() -> [String] { events.map(\.name) }
    func last(_ name: String) -> JSON? { events.last { $0.name == name }?.payload }
    /// Decoded ACKs received.
    var acks: [SocketIOPacket] { packets.compactMap { try? SocketIOPacket.decode($0) }.filter { $0.type == .ack } }

    func send(_ socketIOText: String) { link.client("4" + socketIOText) }
    func connect(auth: String = "") { send("0" + auth) }
    func emit(_ name: String, _ payload: JSON, ack: Int64? = nil) {
        send(SocketIOPacket.event(name, [payload], ackId: ack).encoded)
    }
    var isClosed: Bool { link.closedWith != nil }
}

/// Engine, hub and fake backend wired together on a loop, without sockets.
final class RealtimeHubHarness {
    let loop: EventLoop
    let engine: EngineIOServer
    let backend = FakeRealtimeBackend()
    let hub: RealtimeHub
    private var counter = 0

    init(revalidateInterval: Double = 30, connectTimeout: Double = 45) throws {
        loop = try EventLoop()
        engine = EngineIOServer(loop: loop)
        hub = RealtimeHub(engine: engine, backend: backend, revalidateInterval: revalidateInterval,
                          connectTimeout: connectTimeout)
    }

    func client() -> FakeSocketIOClient {
        counter += 1
        return FakeSocketIOClient(engine: engine, sid: "engine-sid-\(counter)")
    }

    /// A connected client authenticated with `token` (via the `authenticate` event).
    func authenticatedClient(_ token: String) -> FakeSocketIOClient {
        let c = client()
        c.connect()
        c.emit("authenticate", ["token": .string(token)])
        return c
    }
}

final class RealtimeHubHarnessTests: XCTestCase {
    func testFakeClientSeesTheOpenPacketThenConnects() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        XCTAssertEqual(c.link.texts.first?.first, "0")
        c.connect()
        XCTAssertEqual(c.packets.count, 1)
        XCTAssertTrue(c.packets[0].hasPrefix("0{\"sid\":\""))
    }
}
