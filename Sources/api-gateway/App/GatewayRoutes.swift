/// The route modules the gateway serves, in registration order. Modules written by other
/// helpers (leads, admin, operator, calls, realtime) are added to `modules(_:)`.
public enum GatewayRoutes {
    public static func modules(_ ctx: GatewayContext) -> [RouteModule] {
        let realtime = RealtimeModule(ctx: ctx)
        let base: [RouteModule] = [
            HealthRoutes(ctx: ctx),
            AuthRoutes(ctx: ctx),
            UserRoutes(ctx: ctx),
            ProfileRoutes(ctx: ctx),
            LeadRoutes(ctx: ctx),
            AdminLeadRoutes(ctx: ctx),
            LeadHistoryRoutes(ctx: ctx),
            AdminDoNotCallRoutes(ctx: ctx),
            DoNotCallExportRoute(ctx: ctx),
            QueueExplainRoutes(ctx: ctx),
            DispositionRoutes(ctx: ctx),
            OperatorLeadRoutes(ctx: ctx),
            realtime,
            TwilioWebhookRoutes(ctx: ctx),
            OpenAPIRoutes(ctx: ctx),
            MetricsRoutes(ctx: ctx),
            StaticRoutes(ctx: ctx),
        ]
        return base + CallRoutes.modules(ctx, activeConnections: { realtime.activeConnections })
    }

    /// A router with every module registered.
    public static func makeRouter(_ ctx: GatewayContext) -> Router {
        let router = Router()
        for module in modules(ctx) { module.register(on: router) }
        return router
    }
}
