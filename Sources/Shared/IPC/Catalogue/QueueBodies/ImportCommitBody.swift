/// `queue.import_commit {importId}`: every chunk sent, make the import visible →
/// `{importId, successCount, duplicateCount, duplicateLines, …}` (docs/ipc/queue.md).
public struct ImportCommitBody: IPCBody, Equatable {
    public static var command: QueueCommand { .importCommit }

    public var importId: String

    public init(importId: String) { self.importId = importId }

    public init(body: JSONObject) throws {
        self.init(importId: try CommandBody(body).requiredString("importId"))
    }

    public var body: JSONObject { ["importId": .string(importId)] }
}
