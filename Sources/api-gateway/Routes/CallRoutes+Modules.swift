import Shared

/// The route modules of the calling slice (issue 3) with the one `DashboardReader` they share
/// (one heavy-read connection and one cached snapshot for dashboards, reports and summaries).
/// `GatewayRoutes.modules` adds them with `+ CallRoutes.modules(ctx)`; `activeConnections`
/// is the realtime layer's count of authenticated sockets for the system status.
extension CallRoutes {
    public static func modules(_ ctx: GatewayContext,
                               activeConnections: @escaping () -> Int = { 0 }) -> [RouteModule] {
        let reader = DashboardReader(path: ctx.db.path)
        return [
            CallRoutes(ctx: ctx, reader: reader),
            AdminRoutes(ctx: ctx, reader: reader, activeConnections: activeConnections),
            AdminReportRoutes(ctx: ctx, reader: reader),
            OperatorRoutes(ctx: ctx, reader: reader),
            OperatorCallRoutes(ctx: ctx),
        ]
    }
}
