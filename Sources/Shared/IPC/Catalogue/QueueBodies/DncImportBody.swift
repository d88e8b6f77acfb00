/// `queue.dnc_import {actorId, rows: [[line, phone, reason], …]}`: a do-not-call file's numbers in
/// one transaction. Rows are compact arrays; the count limit and the phone and reason rules are
/// the queue's (`DoNotCallCommand`).
public struct DncImportBody: IPCBody, Equatable {
    public static var command: QueueCommand { .dncImport }

    public struct Row: Equatable, Sendable {
        public var line: Int64
        public var phone: String
        public var reason: String

        public init(line: Int64, phone: String, reason: String) {
            self.line = line
            self.phone = phone
            self.reason = reason
        }
    }

    public var actorId: String
    public var rows: [Row]

    public init(actorId: String, rows: [Row]) {
        self.actorId = actorId
        self.rows = rows
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        let actorId = try reader.actorId()
        let rows = try reader.requiredArray("rows").enumerated().map { index, row in
            guard let fields = row.array, fields.count == 3, let line = fields[0].int, let phone = fields[1].string,
                  let reason = fields[2].string else {
                throw IPCError.validationFailed("rows[\(index)] must be [line, phone, reason]")
            }
            return Row(line: line, phone: phone, reason: reason)
        }
        self.init(actorId: actorId, rows: rows)
    }

    public var body: JSONObject {
        JSONObject([("actorId", .string(actorId)),
                    ("rows", .array(rows.map { .array([.int($0.line), .string($0.phone), .string($0.reason)]) }))])
    }
}
