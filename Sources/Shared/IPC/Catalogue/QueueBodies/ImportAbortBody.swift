/// `queue.import_abort {importId}`: roll an open import back → `{importId, aborted: true}`.
public struct ImportAbortBody: IPCBody, Equatable {
    public static var command: QueueCommand { .importAbort }

    public var importId: String

    public init(importId: String) { self.importId = importId }

    public init(body: JSONObject) throws {
        self.init(importId: try CommandBody(body).requiredString("importId"))
    }

    public var body: JSONObject { ["importId": .string(importId)] }
}
