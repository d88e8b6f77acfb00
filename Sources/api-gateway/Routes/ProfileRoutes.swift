import Shared

/// `PUT /api/operator/profile/availability` (reference #39): the caller sets their own
/// availability; the body's `isAvailable` must be a JSON boolean. The queue-daemon is told and
/// panels get `user_availability_changed` (through `UserMutations`).
public struct ProfileRoutes: RouteModule {
    let ctx: GatewayContext
    let mutations: UserMutations

    public init(ctx: GatewayContext) {
        self.ctx = ctx
        mutations = UserMutations(ctx: ctx)
    }

    public func register(on router: Router) {
        ctx.route(router, "PUT", "/api/operator/profile/availability", access: .operatorOrAdmin) { req, res in
            ctx.answer(res) {
                let caller = try ctx.caller(req)
                let value = try UserRoutes.strictBool(req, ctx, "isAvailable", UserRoutes.availabilityNotBoolean)
                let user = try mutations.setAvailability(userID: caller.id, isAvailable: value, actorID: caller.id)
                return .json(200, ["message": "Availability updated successfully", "isAvailable": .bool(user.isAvailable)])
            }
        }
    }
}
