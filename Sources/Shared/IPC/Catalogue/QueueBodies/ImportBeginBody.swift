/// `queue.import_begin {actorId}`: the gateway's CSV upload opens an import
/// (`LeadUploadImport`) → `{importId, maxRowsPerChunk, maxRows}` (docs/ipc/queue.md).
public struct ImportBeginBody: IPCBody, Equatable {
    public static var command: QueueCommand { .importBegin }

    public var actorId: String

    public init(actorId: String) { self.actorId = actorId }

    public init(body: JSONObject) throws {
        self.init(actorId: try CommandBody(body).actorId())
    }

    public var body: JSONObject { ["actorId": .string(actorId)] }
}
