/// `queue.explain_leads {leadIds: [id…]}`: why these leads are or are not dialable (issue 17; the
/// gateway adds the answer to its lead lists). The count limit is the queue's
/// (`QueueExplainer.maxLeadsPerRequest`); unknown ids are left out of the reply.
public struct ExplainLeadsBody: IPCBody, Equatable {
    public static var command: QueueCommand { .explainLeads }

    public var leadIds: [String]

    public init(leadIds: [String]) { self.leadIds = leadIds }

    public init(body: JSONObject) throws {
        guard let values = body["leadIds"]?.array else {
            throw IPCError.validationFailed("\"leadIds\" must be an array of lead ids")
        }
        self.init(leadIds: try values.map {
            guard let id = $0.string else { throw IPCError.validationFailed("\"leadIds\" must hold strings") }
            return id
        })
    }

    public var body: JSONObject { ["leadIds": .array(leadIds.map(JSON.string))] }
}
