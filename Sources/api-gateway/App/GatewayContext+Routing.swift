import Shared

/// Route registration with access guards, and the helpers handlers use to read input and
/// answer: `answer` (throwing body → response, errors mapped), `fail`, `jsonBody`/`bodyFields`,
/// `pathID`, `pagination` and `onWorker` for slow work (password hashing).
extension GatewayContext {
    /// Registers `handler` for `method pattern` behind `access`. For protected routes the token
    /// and the user row are checked first (401/403 otherwise) and `request.user` is set.
    /// `idempotent`: a request with an `Idempotency-Key` header gets the first answer to the same
    /// key again (`IdempotencyStore`; authenticated routes only).
    public func route(_ router: Router, _ method: String, _ pattern: String, access: RouteAccess,
                      bodyLimit: Int? = nil, idempotent: Bool = false,
                      _ handler: @escaping (HTTPRequest, HTTPResponder) -> Void) {
        // Weak: the router is held by the HTTP pipeline, not by this context.
        router.add(method, pattern, bodyLimit: bodyLimit) { [weak self] request, responder in
            guard let self else {
                return responder.send(.error(503, error: "Service Unavailable", message: "api-gateway is stopping"))
            }
            if access != .public {
                do {
                    let (user, _) = try auth.authenticate(request)
                    request.user = user.authUser
                    try AuthGuard.authorize(user.authUser, for: access)
                    if idempotent, let decision = try idempotency.begin(request, userID: user.id, route: method + " " + pattern) {
                        switch decision {
                        case .replay(let response): return responder.send(response)
                        case .proceed(let record): responder.onSend = record
                        }
                    }
                } catch {
                    return fail(responder, error)
                }
            }
            handler(request, responder)
        }
    }

    /// Runs `body` and sends its response, or the mapped error (`ErrorMapper`).
    public func answer(_ responder: HTTPResponder, _ body: () throws -> HTTPResponse) {
        do {
            responder.send(try body())
        } catch {
            fail(responder, error)
        }
    }

    /// Sends the response for `error` (HTTPError as is, IPCError by its status, else 500/503).
    public func fail(_ responder: HTTPResponder, _ error: Error) {
        responder.send(errors.response(for: error, request: responder.request))
    }

    /// The body as a JSON object, or the 415/400 error to send (`error.response`; see `JSONBody`).
    public func jsonBody(_ request: HTTPRequest, allowEmpty: Bool = false) -> Result<JSONObject, HTTPError> {
        JSONBody.object(of: request, allowEmpty: allowEmpty)
    }

    /// The body as validating `BodyFields`; throws the 415/400 `HTTPError`.
    public func bodyFields(_ request: HTTPRequest, allowEmpty: Bool = false) throws -> BodyFields {
        BodyFields(try JSONBody.object(of: request, allowEmpty: allowEmpty).get())
    }

    /// A `:name` path parameter that must be a 24-hex id (400 `Invalid id` otherwise).
    public func pathID(_ request: HTTPRequest, _ name: String = "id") throws -> String {
        guard let value = request.param(name), ObjectID.isValid(value) else { throw HTTPError.invalidID(name) }
        return value
    }

    /// `page`/`limit` from the query (400 naming the parameter when bad).
    public func pagination(_ request: HTTPRequest) throws -> Pagination {
        try Pagination.parse(request)
    }

    /// The authenticated caller; only nil on public routes (then a 401 is thrown).
    public func caller(_ request: HTTPRequest) throws -> AuthUser {
        guard let user = request.user else { throw AuthGuard.noTokenError }
        return user
    }

    /// Runs `work` on a worker thread (never blocking the loop), then `then` on the loop with its
    /// result; errors from either side are mapped and sent.
    public func onWorker<T: Sendable>(_ responder: HTTPResponder, _ work: @escaping @Sendable () throws -> T,
                                      then: @escaping (T) throws -> HTTPResponse) {
        loop.runOnWorker({ () -> Result<T, Error> in Result { try work() } }, completion: { [self] result in
            answer(responder) { try then(result.get()) }
        })
    }
}
