import Shared

/// Drives one CSV import through the queue-daemon (route #6): `queue.import_begin {actorId}` →
/// `{importId}`, then every chunk as `queue.import_chunk {importId, rows}` (up to `window`
/// requests in flight, so the gateway encodes the next chunk while the daemon reads the last),
/// then `queue.import_commit {importId}` → `{successCount, duplicateCount, duplicateLines}`.
/// The daemon inserts the chunks as they arrive inside one transaction that only the commit
/// makes visible, so any failure before the commit reply leaves the database untouched (all or
/// nothing); the first chunk error ends the import, sends `queue.import_abort {importId}` so the
/// daemon rolls back at once (it holds its write lock meanwhile), and later replies are ignored. Chunks are released as soon as they are sent. Loop thread only.
final class LeadUploadImport {
    /// Sends one command and calls back with its reply body or error (an `IPCClient` in production).
    typealias Send = (_ type: String, _ body: JSONObject, _ timeout: Double?,
                      _ completion: @escaping (Result<JSONObject, IPCError>) -> Void) -> Void

    /// What the commit reports.
    struct Outcome: Equatable {
        var successCount: Int64
        var duplicateCount: Int64
        var duplicateLines: [Int64]
    }

    /// Chunk requests in flight at most.
    static let window = 4
    /// The commit inserts up to ~150,000 rows in one transaction; give it longer than the usual
    /// IPC timeout so a slow disk is not reported as an outage while the daemon is still working.
    static let commitTimeout = 60.0

    private let send: Send
    private let actorID: String
    private var chunks: [[JSON]]
    private var nextChunk = 0
    private var inFlight = 0
    private var importID: String?
    private var completion: ((Result<Outcome, IPCError>) -> Void)?

    init(actorID: String, chunks: [[JSON]], send: @escaping Send) {
        self.actorID = actorID
        self.chunks = chunks
        self.send = send
    }

    /// Runs the import; `completion` is called exactly once. The session keeps itself alive
    /// through the pending reply closures until then.
    func run(_ completion: @escaping (Result<Outcome, IPCError>) -> Void) {
        self.completion = completion
        send("queue.import_begin", JSONObject([("actorId", .string(actorID))]), nil) { result in
            switch result {
            case .failure(let error):
                self.finish(.failure(error))
            case .success(let body):
                guard let id = body["importId"]?.string, !id.isEmpty else {
                    return self.finish(.failure(.internal(code: "bad_reply",
                        message: "queue.import_begin replied without an importId")))
                }
                self.importID = id
                self.pump()
            }
        }
    }

    /// Keeps up to `window` chunks in flight; commits once every chunk was acknowledged.
    private func pump() {
        guard completion != nil, let importID else { return }
        while inFlight < Self.window && nextChunk < chunks.count {
            let rows = chunks[nextChunk]
            chunks[nextChunk] = []
            nextChunk += 1
            inFlight += 1
            let body = JSONObject([("importId", .string(importID)), ("rows", .array(rows))])
            send("queue.import_chunk", body, nil) { result in
                self.inFlight -= 1
                switch result {
                case .failure(let error):
                    if self.completion != nil {
                        self.send("queue.import_abort", JSONObject([("importId", .string(importID))]), nil) { _ in }
                    }
                    self.finish(.failure(error))
                case .success: self.pump()
                }
            }
        }
        if inFlight == 0 && nextChunk == chunks.count { commit(importID) }
    }

    private func commit(_ importID: String) {
        nextChunk += 1  // past the end: a late pump() cannot commit twice
        send("queue.import_commit", JSONObject([("importId", .string(importID))]), Self.commitTimeout) { result in
            switch result {
            case .failure(let error):
                self.finish(.failure(error))
            case .success(let body):
                guard let success = body["successCount"]?.int, let duplicates = body["duplicateCount"]?.int else {
                    return self.finish(.failure(.internal(code: "bad_reply",
                        message: "queue.import_commit replied without successCount/duplicateCount")))
                }
                let lines = body["duplicateLines"]?.array?.compactMap(\.int) ?? []
                self.finish(.success(Outcome(successCount: success, duplicateCount: duplicates, duplicateLines: lines)))
            }
        }
    }

    private func finish(_ result: Result<Outcome, IPCError>) {
        guard let completion else { return }
        self.completion = nil
        chunks = []
        completion(result)
    }
}
