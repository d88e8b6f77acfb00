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
            let filter = try LeadInput.listFilter(request, user: user, pagination: try ctx.pagination(request))
            key = LeadListResponseCache.key(filter, caller: user)
            stamp = try list.stamp()   // before the page: a commit after it moves the stamp
            if let body = responses.lookup(key, stamp: stamp, now: ctx.clock.nowMillis()) {
                return responder.send(Self.response(body))
            }
            page = try list.page(filter)
        } catch {
            return ctx.fail(responder, error)
        }
        LeadDialability.enrichList(ctx, page, cache: dialability) { [responses] body, validUntil in
            let bytes = JSON.object(body).serialized()
            if let validUntil { responses.store(key, stamp: stamp, body: bytes, validUntil: validUntil) }
            responder.send(Self.response(bytes))
        }
    }

    static func response(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: jsonHeaders, body: body)
    }
}
