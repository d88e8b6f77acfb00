import Shared

/// Something the realtime layer may push to panels. Either an IPC event from a daemon
/// (`origin` `.queue`/`.dialer`, `type` like `event.lead_claimed`, `rooms` empty: the realtime
/// layer decides the rooms and the Socket.IO shape), or a Socket.IO event the gateway itself
/// produced (`origin` `.gateway`, `type` the socket event name like
/// `user_availability_changed`, `body` its payload, `rooms` its targets).
public struct GatewayEvent {
    public enum Origin: Equatable {
        case gateway
        case queue
        case dialer
    }

    public let origin: Origin
    public let type: String
    public let body: JSONObject
    public let rooms: [String]

    public init(origin: Origin, type: String, body: JSONObject, rooms: [String] = []) {
        self.origin = origin
        self.type = type
        self.body = body
        self.rooms = rooms
    }
}
