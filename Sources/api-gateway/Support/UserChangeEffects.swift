import Shared

/// What follows a change of a user's availability, active state or role: the queue-daemon is
/// told (`queue.operator_changed {userId}`, fire and forget: it re-reads users when it starts),
/// panels get `user_availability_changed {userId, isAvailable, name, timestamp}` in the `admin`
/// and `operator` rooms through the event bus, and `audit_log` gets a row.
public enum UserChangeEffects {
    public static let socketEvent = "user_availability_changed"
    public static let rooms = ["admin", "operator"]

    /// `actorID` did `action` (e.g. `user.availability_changed`) to `user` (already updated).
    public static func publish(_ ctx: GatewayContext, user: UserRecord, actorID: String?, action: String,
                               detail: String? = nil) {
        ctx.notify(OperatorChangedBody(userId: user.id))
        ctx.events.emit(socketEvent, JSONObject([
            ("userId", .string(user.id)), ("isAvailable", .bool(user.isAvailable)),
            ("name", .string(user.name)), ("timestamp", .string(Timestamp.iso8601(millis: ctx.nowMillis))),
        ]), rooms: rooms)
        ctx.audit.record(actor: actorID, action: action, target: user.id, detail: detail)
    }
}
