import Dispatch

/// Threads for work that would block the loop for more than a few milliseconds (CSV parsing,
/// password hashing, heavy reports). Results come back through `EventLoop.post` / `runOnWorker`.
public final class WorkerPool: Sendable {
    public static let shared = WorkerPool(label: "ibrat.worker")
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    public func submit(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }
}
