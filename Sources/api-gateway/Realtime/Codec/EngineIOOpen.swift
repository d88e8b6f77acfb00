/// The Engine.IO v4 open packet (`0{...}`) the server sends first. Always carries all five fields,
/// in the order python-socketio uses: socket.io-client throws on a missing `upgrades` and drops the
/// connection at once without `pingInterval`/`pingTimeout` (see reference/socketio-and-clients.md).
/// A polling session offers `["websocket"]`; a WebSocket-only session offers `[]`.
import Shared

struct EngineIOOpen: Equatable, Sendable {
    var sid: String
    var upgrades: [String]
    var pingInterval = EngineIOLimits.defaultPingIntervalMillis
    var pingTimeout = EngineIOLimits.defaultPingTimeoutMillis
    var maxPayload = EngineIOLimits.defaultMaxPayloadBytes

    static let webSocketUpgrade = "websocket"

    /// Open packet for a session that started on long-polling (may upgrade to WebSocket).
    static func polling(sid: String) -> EngineIOOpen { EngineIOOpen(sid: sid, upgrades: [webSocketUpgrade]) }

    /// Open packet for a session that started directly on a WebSocket.
    static func webSocket(sid: String) -> EngineIOOpen { EngineIOOpen(sid: sid, upgrades: []) }

    var json: JSON {
        .object(JSONObject([("sid", .string(sid)), ("upgrades", .array(upgrades.map(JSON.string))),
                            ("pingInterval", .int(Int64(pingInterval))), ("pingTimeout", .int(Int64(pingTimeout))),
                            ("maxPayload", .int(Int64(maxPayload)))]))
    }

    var packet: EngineIOPacket { EngineIOPacket(.open, json.text) }
}

/// Kept out of the struct's body so the memberwise initializer is still synthesized.
extension EngineIOOpen {
    /// Reads an open packet's JSON (as a client would); nil unless all five fields are well-typed.
    init?(json: JSON) {
        guard let sid = json["sid"]?.string, let list = json["upgrades"]?.array,
              let interval = json["pingInterval"]?.int, let timeout = json["pingTimeout"]?.int,
              let maxPayload = json["maxPayload"]?.int else { return nil }
        var upgrades: [String] = []
        for item in list {
            guard let s = item.string else { return nil }
            upgrades.append(s)
        }
        self.init(sid: sid, upgrades: upgrades, pingInterval: Int(interval), pingTimeout: Int(timeout),
                  maxPayload: Int(maxPayload))
    }
}
