import Shared

/// Creates the first admin from `IBRAT_ADMIN_EMAIL` / `IBRAT_ADMIN_PASSWORD` when no admin
/// exists yet (DESIGN §6: public registration is closed, so this is how an installation gets
/// its first account). Runs once at start-up before the loop serves requests, so hashing the
/// password synchronously blocks nobody.
public enum AdminBootstrap {
    public enum Outcome: Equatable {
        case created(id: String)
        case adminExists
        case notConfigured
        /// The email belongs to a non-admin account; nothing is changed.
        case emailTaken
    }

    public static func run(ctx: GatewayContext) throws -> Outcome {
        if try ctx.users.hasAdmin() { return .adminExists }
        guard let rawEmail = ctx.config.adminEmail, let password = ctx.config.adminPassword else {
            ctx.logger.warning("no admin user exists; set IBRAT_ADMIN_EMAIL and IBRAT_ADMIN_PASSWORD to create one")
            return .notConfigured
        }
        guard let email = EmailAddress.normalize(rawEmail) else {
            throw GatewayStartupError.config("IBRAT_ADMIN_EMAIL: must be a valid email address (got \(rawEmail))")
        }
        guard FieldRules.userPassword.fits(password) else {
            throw GatewayStartupError.config("IBRAT_ADMIN_PASSWORD: must be \(FieldRules.userPassword.limit.lowerBound) "
                                             + "to \(FieldRules.userPassword.limit.upperBound) characters")
        }
        if try ctx.users.user(email: email) != nil {
            ctx.logger.warning("IBRAT_ADMIN_EMAIL \(email) belongs to a non-admin user; no admin was created")
            return .emailTaken
        }
        let hash: String
        do {
            hash = try PasswordHasher.hash(password)
        } catch {
            throw GatewayStartupError("cannot hash IBRAT_ADMIN_PASSWORD: \(error)")
        }
        let now = ctx.nowMillis
        let admin = UserRecord(id: ObjectID.generate(nowMillis: now), name: "Administrator", email: email, phone: "",
                               passwordHash: hash, role: .admin, createdAt: now, updatedAt: now)
        try ctx.users.insert(admin)
        ctx.audit.record(actor: nil, action: "user.bootstrap_admin", target: admin.id, detail: email)
        ctx.logger.notice("created the first admin \(email) from IBRAT_ADMIN_EMAIL", ["USER_ID": admin.id])
        return .created(id: admin.id)
    }
}
