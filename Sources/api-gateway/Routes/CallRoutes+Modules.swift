import Shared

/// The route modules of the calling slice (issue 3) with the two reader connections they share:
/// `reader` (the cached snapshot for dashboards, reports and summaries) and `lists` (pages of
/// calls with their totals), each used by one worker job at a time.
/// `GatewayRoutes.modules` adds them with `+ CallRoutes.modules(ctx)`; `activeConnections`
/// is the realtime layer's count of authenticated sockets for the system status.
extension CallRoutes {
    public static func modules(_ ctx: GatewayContext,
                               activeConnections: @escaping () -> Int = { 0 }) -> [RouteModule] {
        let reader = DashboardReader(path: ctx.db.path)
        let lists = DashboardReader(path: ctx.db.path)
        return [
            CallRoutes(ctx: ctx, reader: reader, lists: lists),
            AdminRoutes(ctx: ctx, reader: reader, activeConnections: activeConnections),
            AdminReportRoutes(ctx: ctx, reader: reader),
            OperatorRoutes(ctx: ctx, reader: reader),
            OperatorCallRoutes(ctx: ctx, lists: lists),
        ]
    }
}
