import Shared

/// `GET /api/leads` (route #8): the page from SQL (`LeadListQuery`, its rows and totals cached
/// per data version), each lead's `dialability` from the queue-daemon (issue 17, reused per page
/// for at most a second by `LeadDialabilityCache`), and the serialised answer kept in
/// `LeadListResponseCache` while both are current, so a repeated read is a lookup and a write
/// (issue 16). An answer whose dialability is unknown (queue-daemon down or slow) is not kept.
struct LeadListRoute {
    let ctx: GatewayContext
    let list: LeadListQuery
    let dialability: LeadDialabilityCache
    let responses = LeadListResponseCache()

    static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]

    func answer(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let key: String, stamp: Int64, page: JSONObject
        do {
            let user = try ctx.caller(request)
            let scope = LeadListResponseCache.scope(of: user)
            let alias = LeadListResponseCache.alias(scope: scope, rawQuery: request.rawQuery)
            var filter: LeadListFilter?
            if let known = responses.key(forAlias: alias) {
                key = known
            } else {
                filter = try Self.filter(request, user: user)
                key = scope + "|" + filter!.pageKey
                responses.remember(alias: alias, key: key)
            }
            stamp = try list.stamp()   // before the page: a commit after it moves the stamp
            if let hit = responses.entry(key, stamp: stamp, now: ctx.clock.nowMillis()) {
                responder.send(Self.response(hit.body))
                if hit.refreshAhead { try? rebuild(key, stamp: stamp, filter ?? Self.filter(request, user: user)) }
                return
            }
            page = try list.page(filter ?? Self.filter(request, user: user))
            guard responses.begin(key, stamp: stamp, orJoin: { responder.send(Self.response($0)) }) else { return }
        } catch {
            return ctx.fail(responder, error)
        }
        LeadDialability.enrichList(ctx, page, cache: dialability) { [responses] body, validUntil in
            let bytes = JSON.object(body).serialized()
            responder.send(Self.response(bytes))
            responses.finish(key, stamp: stamp, body: bytes, validUntil: validUntil)
        }
    }

    /// Builds the answer again with a fresh dialability while the kept one is still served (it
    /// is about to expire); requests that miss meanwhile join this build. Nothing happens when a
    /// build of the same answer is already running.
    private func rebuild(_ key: String, stamp: Int64, _ filter: LeadListFilter) throws {
        let page = try list.page(filter)
        guard responses.begin(key, stamp: stamp, orJoin: { _ in }) else { return }
        LeadDialability.enrichList(ctx, page, cache: dialability, fresh: true) { [responses] body, validUntil in
            responses.finish(key, stamp: stamp, body: JSON.object(body).serialized(), validUntil: validUntil)
        }
    }

    /// The request's filter, scope and page (400 / 403 for bad values).
    static func filter(_ request: HTTPRequest, user: AuthUser) throws -> LeadListFilter {
        try LeadInput.listFilter(request, user: user, pagination: try Pagination.parse(request))
    }

    static func response(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: jsonHeaders, body: body)
    }
}
