/// `queue.import_chunk {importId, rows}`: rows of an open import. The gateway sends the compact
/// form already serialised (`LeadUploadImport.chunkBody`, `importId` first) and the queue reads
/// it from the frame's bytes (`ImportChunkDecoder`, the hot path); this type is the same body as
/// a value, for the object form the queue also accepts and for tests. Each row (a 7-element
/// array or an object) is checked by the queue's row rules (`ImportRowFields`).
public struct ImportChunkBody: IPCBody, Equatable {
    public static var command: QueueCommand { .importChunk }

    public var importId: String
    public var rows: [JSON]

    public init(importId: String, rows: [JSON]) {
        self.importId = importId
        self.rows = rows
    }

    public init(body: JSONObject) throws {
        let reader = CommandBody(body)
        self.init(importId: try reader.requiredString("importId"), rows: try reader.requiredArray("rows"))
    }

    public var body: JSONObject { JSONObject([("importId", .string(importId)), ("rows", .array(rows))]) }
}
