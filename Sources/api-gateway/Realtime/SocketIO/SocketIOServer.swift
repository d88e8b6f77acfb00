import Shared

/// The Socket.IO v5 server on top of `EngineIOServer`: one `SocketIOSocket` per Engine.IO
/// session, and the rooms. A broadcast is encoded once (`EngineIOEncodedPacket`) and the same
/// bytes go to every target socket; a socket in several target rooms gets it once. The
/// application (`RealtimeHub`) sets the per-socket callbacks in `onSocket`.
final class SocketIOServer {
    let engine: EngineIOServer
    let connectTimeout: Double
    private(set) var sockets: [ObjectIdentifier: SocketIOSocket] = [:]
    private var rooms: [String: [ObjectIdentifier: SocketIOSocket]] = [:]

    /// A new socket (its Engine.IO session just opened); set its callbacks here.
    var onSocket: ((SocketIOSocket) -> Void)?

    init(engine: EngineIOServer, connectTimeout: Double = SocketIOSocket.defaultConnectTimeout) {
        self.engine = engine
        self.connectTimeout = connectTimeout
        engine.onSession = { [weak self] session in self?.sessionOpened(session) }
    }

    private func sessionOpened(_ session: EngineIOSession) {
        let socket = SocketIOSocket(session: session, connectTimeout: connectTimeout)
        let key = ObjectIdentifier(socket)
        sockets[key] = socket
        onSocket?(socket)
        let appClose = socket.onClose
        socket.onClose = { [weak self] socket in
            appClose?(socket)
            self?.leaveAll(socket)
            self?.sockets[key] = nil
        }
    }

    // MARK: Rooms

    func join(_ socket: SocketIOSocket, _ room: String) {
        guard !socket.rooms.contains(room) else { return }
        socket.rooms.insert(room)
        rooms[room, default: [:]][ObjectIdentifier(socket)] = socket
    }

    func leave(_ socket: SocketIOSocket, _ room: String) {
        guard socket.rooms.remove(room) != nil else { return }
        rooms[room]?[ObjectIdentifier(socket)] = nil
        if rooms[room]?.isEmpty == true { rooms[room] = nil }
    }

    func leaveAll(_ socket: SocketIOSocket) {
        for room in socket.rooms { leave(socket, room) }
    }

    func memberCount(_ room: String) -> Int { rooms[room]?.count ?? 0 }

    /// Sockets in any of `rooms`, each once.
    func members(of targetRooms: [String]) -> [SocketIOSocket] {
        if targetRooms.count == 1 { return rooms[targetRooms[0]].map { Array($0.values) } ?? [] }
        var seen = Set<ObjectIdentifier>()
        var result: [SocketIOSocket] = []
        for room in targetRooms {
            for (key, socket) in rooms[room] ?? [:] where seen.insert(key).inserted { result.append(socket) }
        }
        return result
    }

    // MARK: Broadcasting

    /// Emits `name` with `arguments` to every socket in `rooms` (except `except`), encoding the
    /// packet once. Returns how many sockets it was handed to.
    @discardableResult
    func broadcast(_ name: String, _ arguments: [JSON], to targetRooms: [String], except: SocketIOSocket? = nil) -> Int {
        let targets = members(of: targetRooms)
        guard !targets.isEmpty else { return 0 }
        let packet = EngineIOEncodedPacket(socketIO: .event(name, arguments))
        var delivered = 0
        for socket in targets where socket !== except && socket.isConnected {
            if socket.send(packet) { delivered += 1 }
        }
        return delivered
    }

    /// Closes every session (shutdown).
    func closeAll() { engine.closeAll() }
}
