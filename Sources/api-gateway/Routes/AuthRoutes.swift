import Shared

/// `/api/auth` (reference #1–#5) with the fixes of bugs 21 and 27: registration needs an admin
/// token, login checks the password before the active flag and costs the same for unknown
/// accounts, logout revokes the token at once, refresh revokes the token it replaces after
/// `IBRAT_REFRESH_GRACE` seconds (default 60: another tab still holding it is not logged out).
public struct AuthRoutes: RouteModule {
    public static let duplicateUser = "User with this email or phone number already exists"
    public static let invalidCredentials = "Invalid credentials"
    public static let accountDeactivated = "Account is deactivated"

    let ctx: GatewayContext

    public init(ctx: GatewayContext) { self.ctx = ctx }

    public func register(on router: Router) {
        ctx.route(router, "POST", "/api/auth/register", access: .admin) { req, res in register(req, res) }
        ctx.route(router, "POST", "/api/auth/login", access: .public) { req, res in login(req, res) }
        ctx.route(router, "GET", "/api/auth/me", access: .authenticated) { req, res in
            ctx.answer(res) {
                let me = try ctx.caller(req)
                guard let user = try ctx.users.user(id: me.id) else { throw HTTPError.notFound("User not found") }
                return .json(200, ["user": .object(user.json(callStats: try ctx.users.callStats(userID: user.id)))])
            }
        }
        ctx.route(router, "POST", "/api/auth/logout", access: .authenticated) { req, res in
            ctx.answer(res) {
                let (user, claims) = try ctx.auth.authenticate(req)
                try ctx.tokens.revoke(claims)
                ctx.logger.info("logout", ctx.logFields(req, ["USER_ID": user.id]))
                return .json(200, ["message": "Logout successful"])
            }
        }
        ctx.route(router, "POST", "/api/auth/refresh", access: .authenticated) { req, res in
            ctx.answer(res) {
                let (user, claims) = try ctx.auth.authenticate(req)
                let issued = ctx.tokens.issue(userID: user.id, role: user.role)
                try ctx.tokens.revoke(claims, graceSeconds: ctx.config.refreshGraceSeconds)
                return .json(200, ["message": "Token refreshed successfully", "token": .string(issued.token)])
            }
        }
    }

    /// #1: validated fields, duplicate check, hash on a worker, insert, token for the new user.
    private func register(_ req: HTTPRequest, _ res: HTTPResponder) {
        let input: (name: String, email: String, phone: String, password: String, role: UserRole)
        do {
            let body = try ctx.bodyFields(req)
            let name = try body.string(FieldRules.userName, required: true) ?? ""
            let email = try body.email("email", required: true) ?? ""
            let phone = try body.phone("phone", required: true, countryCode: ctx.config.defaultCountryCode) ?? ""
            let password = try body.string(FieldRules.userPassword, required: true, trim: false) ?? ""
            let role = try body.oneOf("role", allowed: UserRules.roleNames, parse: UserRole.init(input:)) ?? .operator_
            input = (name, email, phone, password, role)
            if try ctx.users.isTaken(email: email, phone: phone) { throw HTTPError.conflict(Self.duplicateUser) }
        } catch {
            return ctx.fail(res, error)
        }
        let actor = req.user?.id
        ctx.onWorker(res, { try PasswordCheck.hash(input.password) }, then: { hash in
            if try ctx.users.isTaken(email: input.email, phone: input.phone) { throw HTTPError.conflict(Self.duplicateUser) }
            let now = ctx.nowMillis
            let user = UserRecord(id: ObjectID.generate(nowMillis: now), name: input.name, email: input.email,
                                  phone: input.phone, passwordHash: hash, role: input.role, createdAt: now, updatedAt: now)
            do {
                try ctx.users.insert(user)
            } catch let error as DatabaseError where error.isUniqueViolation {
                throw HTTPError.conflict(Self.duplicateUser)
            }
            UserChangeEffects.publish(ctx, user: user, actorID: actor, action: "user.registered",
                                      detail: "role=\(user.role.wireName)")
            let issued = ctx.tokens.issue(userID: user.id, role: user.role)
            return .json(201, ["message": "User registered successfully", "user": .object(user.json()),
                               "token": .string(issued.token)])
        })
    }

    /// #2: password verified on a worker (against a dummy hash for unknown emails), then the
    /// active check, then `last_login` and a token.
    private func login(_ req: HTTPRequest, _ res: HTTPResponder) {
        let email: String, password: String
        let candidate: UserRecord?
        do {
            let body = try ctx.bodyFields(req)
            email = try body.email("email", required: true) ?? ""
            password = try body.string("password", required: true, trim: false) ?? ""
            candidate = try ctx.users.user(email: email)
        } catch {
            return ctx.fail(res, error)
        }
        let hash = candidate?.passwordHash
        ctx.onWorker(res, { PasswordCheck.verify(password, hash: hash) }, then: { ok in
            guard ok, let id = candidate?.id, let user = try ctx.users.user(id: id), user.passwordHash == hash else {
                ctx.logger.info("login refused for \(email)", ctx.logFields(req))
                throw HTTPError.unauthorized(Self.invalidCredentials, message: "The email or password is incorrect")
            }
            guard user.isActive else {
                throw HTTPError.unauthorized(Self.accountDeactivated, message: "This account has been deactivated")
            }
            let now = ctx.nowMillis
            let updated = try ctx.users.update(id: user.id, UserStore.Changes(lastLogin: now), now: now) ?? user
            let issued = ctx.tokens.issue(userID: user.id, role: user.role)
            ctx.logger.info("login", ctx.logFields(req, ["USER_ID": user.id]))
            return .json(200, ["message": "Login successful", "user": .object(updated.json()),
                               "token": .string(issued.token)])
        })
    }
}
