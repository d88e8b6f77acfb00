import Shared

/// The web console's routes: `GET /` (and `/index.html`) and `GET /assets/*`, served from the
/// folder `StaticWebRoot` resolves, through `StaticFileHandler`. HEAD falls back to these GET
/// routes (the server drops the body and keeps the length). Without a console folder nothing is
/// registered and `/` answers the API's 404. These paths are not rate limited (`isStaticPath`):
/// a page load fetches a dozen files, which would eat an operator's API budget.
public struct StaticRoutes: RouteModule {
    public static let assetsPrefix = "/assets/"
    let ctx: GatewayContext
    let handler: StaticFileHandler?

    public init(ctx: GatewayContext, root: String?) {
        self.ctx = ctx
        handler = root.map { StaticFileHandler(cache: StaticFileCache(root: $0)) }
    }

    /// The routes for the configured console folder (`Config.webDir`, else found). A bad
    /// `IBRAT_WEB_DIR` is refused at start-up by `webRoot(_:)`, so here it only means no console.
    public init(ctx: GatewayContext) {
        self.init(ctx: ctx, root: try? Self.webRoot(ctx.config))
    }

    /// The console folder for `config`; throws the `IBRAT_WEB_DIR` error as a start-up error.
    public static func webRoot(_ config: Config) throws -> String? {
        do {
            return try StaticWebRoot.resolve(configured: config.webDir, executablePath: StaticWebRoot.currentExecutable())
        } catch {
            throw GatewayStartupError.config("\(error)")
        }
    }

    /// Whether `path` is one of the console's (rate-limit exempt).
    public static func isStaticPath(_ path: String) -> Bool {
        path == "/" || path == "/index.html" || path.hasPrefix(assetsPrefix)
    }

    public func register(on router: Router) {
        guard let handler else { return }
        for pattern in ["/", "/index.html", "/assets/*"] {
            ctx.route(router, "GET", pattern, access: .public) { request, responder in
                responder.send(handler.respond(segments: request.pathSegments, ifNoneMatch: request.header("If-None-Match")))
            }
        }
    }
}
