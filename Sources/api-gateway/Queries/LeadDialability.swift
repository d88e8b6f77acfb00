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
        let ids = leads.compactMap { $0["id"]?.string }
        guard !ids.isEmpty, ids.count <= maxLeadsPerRequest else { return done(leads.map { with($0, nil) }) }
        let lookup = cache?.lookup(ids: ids)
        if let cached = lookup?.cached { return done(merged(leads, cached)) }
        ctx.queue.request(ExplainLeadsBody(leadIds: ids), timeout: timeoutSeconds) { result in
            let found = (try? result.get())?["dialability"]?.object
            if let found, let ticket = lookup?.ticket { cache?.store(found, for: ticket) }
            done(merged(leads, found))
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
    static func enrichList(_ ctx: GatewayContext, _ body: JSONObject, cache: LeadDialabilityCache?,
                           done: @escaping (JSONObject) -> Void) {
        guard let list = body["leads"]?.array else { return done(body) }
        enrich(ctx, list.compactMap(\.object), cache: cache) { leads in
            var body = body
            body["leads"] = .array(leads.map(JSON.object))
            done(body)
        }
    }
}
