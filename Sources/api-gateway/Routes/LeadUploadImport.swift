import Foundation
import Shared
import Synchronization

/// Drives one CSV import through the queue-daemon (route #6) while the file is still being read:
/// the first chunk handed to `add` sends `queue.import_begin {actorId}` → `{importId}`, then every
/// chunk goes out as `queue.import_chunk {importId, rows}` (up to `window` requests in flight,
/// the rest queued in file order), and once the reader is done (`finish`) and every chunk was
/// acknowledged, `queue.import_commit {importId}` → `{successCount, duplicateCount,
/// duplicateLines}`. The daemon inserts the chunks as they arrive inside one transaction that
/// only the commit makes visible, so any failure before the commit reply leaves the database
/// untouched (all or nothing). The first error ends the import: it sends `queue.import_abort
/// {importId}` so the daemon rolls back at once (it holds its write lock meanwhile), raises
/// `cancellation` so the reader stops, and later replies and chunks are ignored; `abandon` does
/// the same for a file refused after some of its chunks went out. Chunks are released as soon
/// as they are sent. Loop thread only, except `cancellation`.
final class LeadUploadImport {
    /// Sends one command and calls back with its reply body or error (an `IPCClient` in production).
    typealias Send = (_ command: QueueCommand, _ body: Body, _ timeout: Double?,
                      _ completion: @escaping (Result<JSONObject, IPCError>) -> Void) -> Void

    /// A command body: a typed one, or one already serialised (`queue.import_chunk`, whose rows the
    /// reader serialised on its worker thread).
    enum Body {
        case typed(any IPCBody)
        case raw([UInt8])
    }

    /// What the commit reports.
    struct Outcome: Equatable {
        var successCount: Int64
        var duplicateCount: Int64
        var duplicateLines: [Int64]
        /// Imported rows whose number is on the do-not-call list (stored flagged).
        var doNotCallCount: Int64 = 0
    }

    /// Set once the import failed; the reader on its worker thread checks it between chunks.
    final class Cancellation: Sendable {
        private let cancelled = Atomic(false)

        var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

        func cancel() { cancelled.store(true, ordering: .releasing) }
    }

    /// Chunk requests in flight at most.
    static let window = 4
    /// The commit waits for the daemon to finish inserting (~150,000 rows in one transaction);
    /// give it longer than the usual IPC timeout so a slow disk is not reported as an outage
    /// while the daemon is still working.
    static let commitTimeout = 60.0
    /// A chunk waits at the daemon behind up to `window - 1` others (each read and validated on its
    /// loop) and behind the transaction's opening: on a busy 2-core host the default 1.5 s IPC
    /// timeout was reached by the fourth chunk of a 10 MiB file while the daemon was working fine
    /// (a 503 for a healthy import). `import_begin` keeps the default timeout, so an unreachable
    /// daemon is still reported at once.
    static let chunkTimeout = 15.0

    let cancellation = Cancellation()
    private let send: Send
    private let actorID: String
    private var queued: [[UInt8]] = []
    private var nextQueued = 0
    private var inFlight = 0
    private var begun = false
    private var importID: String?
    private var inputDone = false
    private var committing = false
    private var failure: IPCError?
    private var completion: ((Result<Outcome?, IPCError>) -> Void)?

    init(actorID: String, send: @escaping Send) {
        self.actorID = actorID
        self.send = send
    }

    /// Queues one chunk of rows, a serialised JSON array (file order); the first one begins the import.
    func add(_ rows: [UInt8]) {
        guard failure == nil, !inputDone, !rows.isEmpty else { return }
        queued.append(rows)
        if !begun { begin() } else { pump() }
    }

    /// Every chunk was added: commits once they are all acknowledged. `completion` is called
    /// exactly once, with nil when no chunk was ever added (nothing to import), or at once with
    /// the failure that already ended the import. The session keeps itself alive through the
    /// pending reply closures until then.
    func finish(_ completion: @escaping (Result<Outcome?, IPCError>) -> Void) {
        guard !inputDone else { return }
        inputDone = true
        if let failure { return completion(.failure(failure)) }
        guard begun else { return completion(.success(nil)) }
        self.completion = completion
        pump()
    }

    /// The file was refused after chunks went out: rolls the import back (nothing was committed).
    func abandon() {
        inputDone = true
        fail(.internal(code: .abandoned, message: "the CSV file was refused"))
    }

    /// Sends a typed body (every import command but the chunk, which goes out already serialised).
    private func sendBody<Command: IPCBody>(_ command: Command, _ timeout: Double?,
                                        _ completion: @escaping (Result<JSONObject, IPCError>) -> Void)
        where Command.Command == QueueCommand {
        send(Command.command, .typed(command), timeout, completion)
    }

    private func begin() {
        begun = true
        sendBody(ImportBeginBody(actorId: actorID), nil) { result in
            switch result {
            case .failure(let error):
                self.fail(error)
            case .success(let body):
                guard let id = body["importId"]?.string, !id.isEmpty else {
                    return self.fail(.internal(code: .badReply, message: "queue.import_begin replied without an importId"))
                }
                guard self.failure == nil else {
                    return self.sendBody(ImportAbortBody(importId: id), nil) { _ in }
                }
                self.importID = id
                self.pump()
            }
        }
    }

    /// Keeps up to `window` chunks in flight; commits once the input is done and all were acknowledged.
    private func pump() {
        guard failure == nil, !committing, let importID else { return }
        while inFlight < Self.window && nextQueued < queued.count {
            let rows = queued[nextQueued]
            queued[nextQueued] = []
            nextQueued += 1
            inFlight += 1
            send(.importChunk, .raw(Self.chunkBody(importID: importID, rows: rows)), Self.chunkTimeout) { result in
                self.inFlight -= 1
                switch result {
                case .failure(let error): self.fail(Self.restartAware(error))
                case .success: self.pump()
                }
            }
        }
        if nextQueued == queued.count {
            queued.removeAll(keepingCapacity: true)
            nextQueued = 0
        }
        if inputDone && inFlight == 0 && queued.isEmpty { commit(importID) }
    }

    private func commit(_ importID: String) {
        committing = true
        sendBody(ImportCommitBody(importId: importID), Self.commitTimeout) { result in
            switch result {
            case .failure(let error):
                self.end(.failure(Self.restartAware(error)))
            case .success(let body):
                guard let success = body["successCount"]?.int, let duplicates = body["duplicateCount"]?.int else {
                    return self.end(.failure(.internal(code: .badReply,
                        message: "queue.import_commit replied without successCount/duplicateCount")))
                }
                let lines = body["duplicateLines"]?.array?.compactMap(\.int) ?? []
                self.end(.success(Outcome(successCount: success, duplicateCount: duplicates, duplicateLines: lines,
                                          doNotCallCount: body["doNotCallCount"]?.int ?? 0)))
            }
        }
    }

    /// The first error: stop the reader, roll the daemon's side back, report (once the input is done).
    private func fail(_ error: IPCError) {
        guard failure == nil, !committing else { return }
        failure = error
        cancellation.cancel()
        queued = []
        if let importID { sendBody(ImportAbortBody(importId: importID), nil) { _ in } }
        end(.failure(error))
    }

    /// An import the daemon no longer knows was lost with a queue-daemon restart (the IPC client
    /// holds requests across one): that is a 503 to retry, not a 404 for the uploader.
    static func restartAware(_ error: IPCError) -> IPCError {
        guard error.has(.importNotFound) else { return error }
        return .unavailable(code: .importInterrupted, message: "The queue service restarted during the import; "
                            + "nothing was imported. Please upload the file again.")
    }

    /// `{"importId":…,"rows":<rows>}` around the serialised rows array.
    static func chunkBody(importID: String, rows: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(rows.count + importID.utf8.count + 24)
        JSONSerializer.appendLiteral("{\"importId\":", into: &body)
        JSONSerializer.writeString(importID, into: &body)
        JSONSerializer.appendLiteral(",\"rows\":", into: &body)
        body.append(contentsOf: rows)
        body.append(UInt8(ascii: "}"))
        return body
    }

    private func end(_ result: Result<Outcome?, IPCError>) {
        guard let completion else { return }
        self.completion = nil
        queued = []
        completion(result)
    }
}
