import Shared

/// `GET /api/openapi.json` (public): the REST API's OpenAPI 3.1 document (`OpenAPIDocument`),
/// for client generators, API consoles and schemathesis. 404 when the file is not installed.
public struct OpenAPIRoutes: RouteModule {
    public static let path = "/api/openapi.json"
    public static let contentType = "application/json; charset=utf-8"

    let ctx: GatewayContext
    let document: OpenAPIDocument

    public init(ctx: GatewayContext, document: OpenAPIDocument? = nil) {
        self.ctx = ctx
        self.document = document ?? OpenAPIDocument(setting: ctx.config.openAPIFile)
    }

    public func register(on router: Router) {
        ctx.route(router, "GET", Self.path, access: .public) { [ctx, document] _, res in
            guard let bytes = document.load() else {
                if !document.reportedMissing {
                    document.reportedMissing = true
                    ctx.logger.warning("OpenAPI document not found in " + document.candidates.joined(separator: ", "))
                }
                return res.send(.error(404, error: "Not Found",
                                       message: "The OpenAPI document is not installed (set IBRAT_OPENAPI_FILE)"))
            }
            res.send(.bytes(200, bytes, contentType: Self.contentType))
        }
    }
}
