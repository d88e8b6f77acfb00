/// `event.leads_imported {count, duplicateCount, importId, actorId}`: a CSV import committed.
public struct LeadsImportedBody: IPCSingleEventBody, Equatable {
    public typealias Event = QueueEvent
    public static var only: QueueEvent { .leadsImported }

    public var count: Int64
    public var duplicateCount: Int64
    public var importId: String
    public var actorId: String

    public init(count: Int64, duplicateCount: Int64, importId: String, actorId: String) {
        self.count = count
        self.duplicateCount = duplicateCount
        self.importId = importId
        self.actorId = actorId
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(count: try reader.optionalInt("count") ?? 0, duplicateCount: try reader.optionalInt("duplicateCount") ?? 0,
                  importId: try reader.requiredString("importId"), actorId: try reader.requiredString("actorId"))
    }

    public var body: JSONObject {
        JSONObject([("count", .int(count)), ("duplicateCount", .int(duplicateCount)), ("importId", .string(importId)),
                    ("actorId", .string(actorId))])
    }
}
