import Shared

/// Runs slow read-only queries (counts and aggregates over the whole `leads` table) off the
/// event loop, on a worker thread with its own read-only connection to the database file (WAL
/// lets it read while the daemons write). Jobs run one at a time, in submission order, so the
/// connection is never used by two threads at once; a job whose key is already waiting or running
/// is not queued again. The connection is opened on first use and reopened after an error.
/// `submit` and the completions run on the loop thread.
final class LeadReadWorker {
    /// Runs on the worker: whether it failed, and the delivery to run on the loop.
    private typealias Run = (Database) -> (failed: Bool, deliver: () -> Void)

    private let loop: EventLoop
    private let path: String
    /// Touched only by the job that is running (one at a time, handed over through the pool).
    private var connection: Database?
    private var queue: [(key: String, run: Run, fail: (Error) -> Void)] = []
    private var keys = Set<String>()
    private var running = false

    init(loop: EventLoop, path: String) {
        self.loop = loop
        self.path = path
    }

    /// Jobs waiting or running.
    var pendingCount: Int { keys.count }

    /// Whether a job with `key` is waiting or running.
    func isPending(_ key: String) -> Bool { keys.contains(key) }

    /// Queues `job` unless one with the same key is pending; false when it was not queued.
    @discardableResult
    func submit<T>(key: String, _ job: @escaping (Database) throws -> T,
                   completion: @escaping (Result<T, Error>) -> Void) -> Bool {
        guard keys.insert(key).inserted else { return false }
        let run: Run = { db in
            let result = Result { try job(db) }
            if case .failure = result { return (true, { completion(result) }) }
            return (false, { completion(result) })
        }
        queue.append((key, run, { completion(.failure($0)) }))
        startNext()
        return true
    }

    private func startNext() {
        guard !running, !queue.isEmpty else { return }
        running = true
        let entry = queue.removeFirst()
        // The running job and `connection` belong to the worker until the delivery comes back.
        let job = HandOff((worker: self, entry: entry))
        loop.runOnWorker({ () -> HandOff<() -> Void> in
            let (worker, entry) = job.value
            let db: Database
            do {
                db = try worker.connection ?? Database(path: worker.path, owner: nil, readOnly: true)
            } catch {
                return HandOff { entry.fail(error) }
            }
            let outcome = entry.run(db)
            worker.connection = outcome.failed ? nil : db
            return HandOff(outcome.deliver)
        }, completion: { [self] deliver in
            running = false
            keys.remove(entry.key)
            deliver.value()
            startNext()
        })
    }
}
