/// A group of routes (auth, users, leads, ...). Each module keeps a `GatewayContext` and
/// registers its handlers with `ctx.route(router, method, pattern, access:) { req, res in }`;
/// `GatewayRoutes` lists the modules the gateway serves.
public protocol RouteModule {
    func register(on router: Router)
}
