import Shared

/// Appends to `audit_log` (owned by the gateway): who did what to whom, for account changes
/// (register, role/active/availability changes, deletes, logins). A failed write is logged and
/// never fails the request it records.
public struct AuditLog {
    public let db: Database
    public let clock: WallClock
    public let logger: Logger

    /// `action` is a short verb phrase such as `user.deactivated`; `target` usually a user id.
    public func record(actor: String?, action: String, target: String?, detail: String? = nil) {
        do {
            _ = try db.run("INSERT INTO audit_log(at, actor_id, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                           [.int(clock.nowMillis()), SQLValue(actor), .text(action), SQLValue(target), SQLValue(detail)])
        } catch {
            logger.error("audit log write failed: \(error)", ["USER_ID": actor ?? "", "AUDIT_ACTION": action])
        }
    }
}
