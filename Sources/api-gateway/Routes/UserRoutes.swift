import Shared

/// `/api/users` (reference #20–#27) with the fixes of bugs 24, 30 and 31: `limit` capped at
/// 100, `isActive` must be `true`/`false`, `search` is literal (no regex), availability and
/// active flags must be JSON booleans, admins can change roles, non-admins cannot change their
/// own role or active state, and duplicates are 409 instead of 500.
public struct UserRoutes: RouteModule {
    public static let viewOwnOnly = "Access denied. You can only view your own profile."
    public static let updateOwnOnly = "Access denied. You can only update your own profile."
    public static let availabilityOwnOnly = "Access denied. You can only update your own availability."
    public static let adminFieldsOnly = "Access denied. Only admins can change role or active state."
    public static let availabilityNotBoolean = "isAvailable must be a boolean value"
    public static let activeNotBoolean = "isActive must be a boolean value"

    let ctx: GatewayContext
    let queries: UserQueries
    let mutations: UserMutations

    public init(ctx: GatewayContext) {
        self.ctx = ctx
        queries = UserQueries(db: ctx.db)
        mutations = UserMutations(ctx: ctx)
    }

    public func register(on router: Router) {
        ctx.route(router, "GET", "/api/users", access: .admin) { req, res in ctx.answer(res) { try list(req) } }
        ctx.route(router, "GET", "/api/users/available-salespeople", access: .operatorOrAdmin) { _, res in
            ctx.answer(res) { .json(200, ["salespeople": .array(try queries.availableOperators())]) }
        }
        ctx.route(router, "GET", "/api/users/stats/summary", access: .admin) { _, res in
            ctx.answer(res) { .json(200, .object(try queries.summary())) }
        }
        ctx.route(router, "GET", "/api/users/:id", access: .authenticated) { req, res in
            ctx.answer(res) {
                let id = try ctx.pathID(req)
                try requireSelfOrAdmin(req, id, Self.viewOwnOnly)
                guard let user = try ctx.users.user(id: id) else { throw HTTPError.notFound(UserMutations.userNotFound) }
                return .json(200, ["user": .object(user.json(callStats: try ctx.users.callStats(userID: id)))])
            }
        }
        ctx.route(router, "PUT", "/api/users/:id", access: .authenticated) { req, res in
            ctx.answer(res) { try update(req) }
        }
        ctx.route(router, "PUT", "/api/users/:id/availability", access: .authenticated) { req, res in
            ctx.answer(res) {
                let id = try ctx.pathID(req)
                try requireSelfOrAdmin(req, id, Self.availabilityOwnOnly)
                let value = try Self.strictBool(req, ctx, "isAvailable", Self.availabilityNotBoolean)
                let user = try mutations.setAvailability(userID: id, isAvailable: value, actorID: try ctx.caller(req).id)
                return .json(200, ["message": "Availability updated successfully", "isAvailable": .bool(user.isAvailable)])
            }
        }
        ctx.route(router, "PUT", "/api/users/:id/activate", access: .admin) { req, res in
            ctx.answer(res) {
                let id = try ctx.pathID(req)
                let value = try Self.strictBool(req, ctx, "isActive", Self.activeNotBoolean)
                let user = try mutations.setActive(userID: id, isActive: value, actorID: try ctx.caller(req).id)
                return .json(200, ["message": .string(user.isActive ? "User activated successfully"
                                                                       : "User deactivated successfully"),
                                   "isActive": .bool(user.isActive)])
            }
        }
        ctx.route(router, "DELETE", "/api/users/:id", access: .admin) { req, res in
            ctx.answer(res) {
                _ = try mutations.softDelete(userID: try ctx.pathID(req), actorID: try ctx.caller(req).id)
                return .json(200, ["message": "User deleted successfully"])
            }
        }
    }

    /// #20: filters, literal search, capped pagination, newest first, with call figures.
    private func list(_ req: HTTPRequest) throws -> HTTPResponse {
        let page = try ctx.pagination(req)
        let filter = UserQueries.Filter(
            role: try QueryParams.oneOf(req, "role", allowed: UserRules.roleNames, parse: UserRole.init(input:)),
            isActive: try QueryParams.bool(req, "isActive"),
            search: try QueryParams.string(req, "search"))
        let (users, total) = try queries.list(filter, page: page)
        let stats = try queries.callStats(for: users.map(\.id))
        let states = try OperatorStateReader(db: ctx.db).states(for: users.map(\.id))
        let items = users.map { user -> JSON in
            var json = user.json(callStats: stats[user.id] ?? .zero)
            if user.role == .operator_ { json["operatorState"] = .string(states[user.id] ?? OperatorStateReader.state(of: user)) }
            return .object(json)
        }
        return .json(200, ["users": .array(items), "pagination": page.json(total: total)])
    }

    /// The fields `PUT /api/users/:id` accepts; any other key is a 400 (as for lead creation), so a
    /// misspelt field is not silently ignored.
    static let updateKeys: Set<String> = ["name", "email", "phone", "role", "isAvailable", "isActive"]

    /// #23: validation first, then ownership, then the admin-only fields.
    private func update(_ req: HTTPRequest) throws -> HTTPResponse {
        let id = try ctx.pathID(req)
        let body = try ctx.bodyFields(req)
        try body.rejectUnknown(allowed: Self.updateKeys)
        var changes = UserStore.Changes()
        changes.name = try body.string(FieldRules.userName)
        changes.email = try body.email("email")
        changes.phone = try body.phone("phone", countryCode: ctx.config.defaultCountryCode)
        changes.role = try body.oneOf("role", allowed: UserRules.roleNames, parse: UserRole.init(input:))
        changes.isAvailable = try body.bool("isAvailable")
        changes.isActive = try body.bool("isActive")
        let caller = try ctx.caller(req)
        try requireSelfOrAdmin(req, id, Self.updateOwnOnly)
        if !caller.isAdmin {
            let current = try ctx.users.user(id: id)
            let changesRole = changes.role != nil && changes.role != current?.role
            let changesActive = changes.isActive != nil && changes.isActive != current?.isActive
            if changesRole || changesActive { throw HTTPError.forbidden(Self.adminFieldsOnly) }
            changes.role = nil
            changes.isActive = nil
        }
        let user = try mutations.update(userID: id, changes, actorID: caller.id)
        return .json(200, ["message": "User updated successfully",
                           "user": .object(user.json(callStats: try ctx.users.callStats(userID: id)))])
    }

    private func requireSelfOrAdmin(_ req: HTTPRequest, _ id: String, _ error: String) throws {
        let caller = try ctx.caller(req)
        guard caller.isAdmin || caller.id == id else { throw HTTPError.forbidden(error) }
    }

    /// A required JSON boolean field; anything else is 400 `{"error": <error>, ...}`.
    static func strictBool(_ req: HTTPRequest, _ ctx: GatewayContext, _ name: String, _ error: String) throws -> Bool {
        let body = try ctx.bodyFields(req)
        guard case .bool(let value)? = body.object[name] else {
            throw HTTPError.badRequest(error, message: "Send {\"\(name)\": true} or {\"\(name)\": false}")
        }
        return value
    }
}
