import Shared

/// The account changes behind `/api/users` and `/api/operator/profile` (reference #23–#26,
/// #39), with their rules: the last active admin can be neither deactivated, demoted nor
/// deleted; deactivation also makes the user unavailable; every availability, active or role
/// change is published through `UserChangeEffects`. Loop thread; each change is one short
/// transaction, so the last-admin count and the write cannot interleave with another write.
public struct UserMutations {
    public static let userNotFound = "User not found"
    public static let lastAdminDeactivate = "Cannot deactivate the last admin user"
    public static let lastAdminDelete = "Cannot delete the last admin user"
    public static let lastAdminDemote = "Cannot change the role of the last admin user"

    let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    /// Sets `isAvailable` of `userID`.
    public func setAvailability(userID: String, isAvailable: Bool, actorID: String) throws -> UserRecord {
        let user = try apply(userID, UserStore.Changes(isAvailable: isAvailable))
        UserChangeEffects.publish(ctx, user: user, actorID: actorID, action: "user.availability_changed",
                                  detail: "isAvailable=\(isAvailable)")
        return user
    }

    /// Sets `isActive`; deactivating also clears `isAvailable`.
    public func setActive(userID: String, isActive: Bool, actorID: String) throws -> UserRecord {
        var changes = UserStore.Changes(isActive: isActive)
        if !isActive { changes.isAvailable = false }
        let user = try apply(userID, changes, lastAdminError: isActive ? nil : Self.lastAdminDeactivate)
        UserChangeEffects.publish(ctx, user: user, actorID: actorID,
                                  action: isActive ? "user.activated" : "user.deactivated")
        return user
    }

    /// Soft delete: inactive and unavailable (the row stays for call history).
    public func softDelete(userID: String, actorID: String) throws -> UserRecord {
        let user = try apply(userID, UserStore.Changes(isActive: false, isAvailable: false),
                             lastAdminError: Self.lastAdminDelete)
        UserChangeEffects.publish(ctx, user: user, actorID: actorID, action: "user.deleted")
        return user
    }

    /// A profile update (`PUT /api/users/:id`); uniqueness of email and phone is checked here.
    public func update(userID: String, _ changes: UserStore.Changes, actorID: String) throws -> UserRecord {
        var changes = changes
        if changes.isActive == false { changes.isAvailable = false }
        if changes.email != nil || changes.phone != nil,
           try ctx.users.isTaken(email: changes.email, phone: changes.phone, excludingID: userID) {
            throw HTTPError.conflict(AuthRoutes.duplicateUser)
        }
        let before = try ctx.users.user(id: userID)
        let losesAdmin = changes.isActive == false ? Self.lastAdminDeactivate
            : (changes.role == .operator_ ? Self.lastAdminDemote : nil)
        let user: UserRecord
        do {
            user = try apply(userID, changes, lastAdminError: losesAdmin)
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw HTTPError.conflict(AuthRoutes.duplicateUser)
        }
        if let before, before.isAvailable != user.isAvailable || before.isActive != user.isActive
            || before.role != user.role {
            UserChangeEffects.publish(ctx, user: user, actorID: actorID, action: "user.updated",
                                      detail: "role=\(user.role.wireName) isActive=\(user.isActive) "
                                          + "isAvailable=\(user.isAvailable)")
        } else {
            ctx.audit.record(actor: actorID, action: "user.updated", target: userID)
        }
        return user
    }

    /// Applies `changes` in one transaction: 404 when missing; when `lastAdminError` is set and
    /// the target is the only active admin, 409 with that message (a state conflict, not a bad request).
    private func apply(_ userID: String, _ changes: UserStore.Changes, lastAdminError: String? = nil) throws -> UserRecord {
        try ctx.db.transaction {
            guard let current = try ctx.users.user(id: userID) else { throw HTTPError.notFound(Self.userNotFound) }
            if let lastAdminError, current.role == .admin, current.isActive, try ctx.users.activeAdminCount() <= 1 {
                throw HTTPError.conflict(lastAdminError)
            }
            guard let updated = try ctx.users.update(id: userID, changes, now: ctx.nowMillis) else {
                throw HTTPError.notFound(Self.userNotFound)
            }
            return updated
        }
    }
}
