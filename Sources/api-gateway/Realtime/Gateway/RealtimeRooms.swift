import Shared

/// The room rules (DESIGN §7; fixes reference §4.1's open `join_room`). Rooms: `admin`,
/// `operator`, `user_<id>`. On authentication a socket joins `user_<own id>` and its role's room;
/// admins also join `operator`, because they see everything operators see. `join_room` may only
/// name a room the socket would be allowed to be in: its own rooms, and for admins any
/// `user_<id>` (to follow one operator). Everything else is refused.
enum RealtimeRooms {
    static let admin = "admin"
    static let operators = "operator"
    static let userPrefix = "user_"
    /// Longest room name accepted from a client (`user_` + a 24-hex id is 29).
    static let maxRoomNameBytes = 64

    static func user(_ id: String) -> String { userPrefix + id }

    /// The rooms an identity is put in when it authenticates.
    static func automatic(for identity: RealtimeIdentity) -> [String] {
        switch identity.role {
        case .admin: return [user(identity.userId), admin, operators]
        case .operator_: return [user(identity.userId), operators]
        }
    }

    /// Whether `identity` may join `room` on request.
    static func mayJoin(_ room: String, _ identity: RealtimeIdentity) -> Bool {
        guard room.utf8.count <= maxRoomNameBytes else { return false }
        if automatic(for: identity).contains(room) { return true }
        guard identity.isAdmin, room.hasPrefix(userPrefix) else { return false }
        return ObjectID.isValid(String(room.dropFirst(userPrefix.count)))
    }

    /// The rooms of a user's own events (`call_*`, `lead_assigned`): the user's room and `admin`.
    static func userAndAdmins(_ userId: String?) -> [String] {
        guard let userId, !userId.isEmpty else { return [admin] }
        return [user(userId), admin]
    }
}
