import Shared

/// Adds issue 17's `dialability` to leads read from SQL: one `queue.explain_leads` request per
/// answer (a lead, or a page of at most 100), answered by the queue-daemon from the same decision
/// its dispatch uses. The read itself never waits long for it: after `timeoutSeconds`, or at once
/// when the queue-daemon is not connected, each lead gets `"dialability": null` and the answer
/// goes out as it is.
enum LeadDialability {
    /// How long a lead read waits for the queue-daemon's explanation.
    static let timeoutSeconds = 0.3
    /// The queue-daemon's limit per request (`QueueExplainer.maxLeadsPerRequest`).
    static let maxLeadsPerRequest = 100

    /// `leads` with `dialability` set (null when unknown), in the same order.
    /// With `cache`, a recent answer for the same leads is used (`LeadDialabilityCache`).
    static func enrich(_ ctx: GatewayContext, _ leads: [JSONObject], cache: LeadDialabilityCache? = nil,
                       done: @escaping ([JSONObject]) -> Void) {
        enrich(ctx, leads, cache: cache) { leads, _ in done(leads) }
    }

    /// `enrich`, also saying until when (epoch millis) the answer may be reused: the cached
    /// dialability's expiry; `.max` for no leads; nil when it was not known or not cached.
    /// `fresh`: ask the queue-daemon even when `cache` holds an answer (and replace it).
    static func enrich(_ ctx: GatewayContext, _ leads: [JSONObject], cache: LeadDialabilityCache?, fresh: Bool = false,
                       done: @escaping ([JSONObject], _ validUntil: Int64?) -> Void) {
        let ids = leads.compactMap { $0["id"]?.string }
        if ids.isEmpty && leads.isEmpty { return done(leads, .max) }
        guard !ids.isEmpty, ids.count <= maxLeadsPerRequest else { return done(leads.map { with($0, nil) }, nil) }
        let lookup = cache?.lookup(ids: ids)
        if !fresh, let cached = lookup?.cached { return done(merged(leads, cached), lookup?.expiresAt) }
        ctx.queue.request(ExplainLeadsBody(leadIds: ids), timeout: timeoutSeconds) { result in
            let found = (try? result.get())?["dialability"]?.object
            var validUntil: Int64?
            if let found, let ticket = lookup?.ticket { validUntil = cache?.store(found, for: ticket) }
            done(merged(leads, found), validUntil)
        }
    }

    private static func merged(_ leads: [JSONObject], _ found: JSONObject?) -> [JSONObject] {
        leads.map { lead in with(lead, lead["id"]?.string.flatMap { found?[$0] }) }
    }

    private static func with(_ lead: JSONObject, _ dialability: JSON?) -> JSONObject {
        var lead = lead
        lead["dialability"] = dialability ?? .null
        return lead
    }

    /// `{"lead": {...}}` → the same with the lead's dialability.
    static func enrichDetail(_ ctx: GatewayContext, _ body: JSONObject, done: @escaping (JSONObject) -> Void) {
        guard let lead = body["lead"]?.object else { return done(body) }
        enrich(ctx, [lead]) { leads in
            var body = body
            body["lead"] = .object(leads[0])
            done(body)
        }
    }

    /// `{"leads": [...], "pagination"}` → the same with each lead's dialability (a recent answer
    /// for the same page from `cache`, see `LeadDialabilityCache`).
    /// `validUntil` as in `enrich`.
    static func enrichList(_ ctx: GatewayContext, _ body: JSONObject, cache: LeadDialabilityCache?, fresh: Bool = false,
                           done: @escaping (JSONObject, _ validUntil: Int64?) -> Void) {
        guard let list = body["leads"]?.array else { return done(body, nil) }
        enrich(ctx, list.compactMap(\.object), cache: cache, fresh: fresh) { leads, validUntil in
            var body = body
            body["leads"] = .array(leads.map(JSON.object))
            done(body, validUntil)
        }
    }
}
