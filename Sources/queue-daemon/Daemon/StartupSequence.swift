/// The queue-daemon's start-up as an ordered list of named steps run before `READY=1` (DESIGN §3:
/// in-memory state is rebuilt from the database before the daemon says it is ready). The daemon
/// opens and migrates the database in its initialiser; other parts (the dispatch helper's stuck-lead
/// recovery, resynchronising with the dialer) append steps with `add` before `QueueDaemon.start`.
/// Steps may finish asynchronously; the first failure stops the sequence.

import Shared

/// A start-up step that failed, named for the log line and the exit message.
struct StartupError: Error, CustomStringConvertible {
    let step: String
    let underlying: Error

    var description: String { "start-up step \"\(step)\" failed: \(underlying)" }
}

final class StartupSequence {
    /// Calls `done` exactly once, with nil on success; may call it later from the loop thread.
    typealias Step = (_ done: @escaping (Error?) -> Void) -> Void

    private var steps: [(name: String, run: Step)] = []
    private(set) var isRunning = false
    private(set) var completedSteps: [String] = []

    /// The names of the steps in order.
    var stepNames: [String] { steps.map(\.name) }

    /// Appends an asynchronous step.
    func add(_ name: String, _ step: @escaping Step) {
        steps.append((name, step))
    }

    /// Appends a synchronous step; a thrown error fails the start-up.
    func add(_ name: String, sync body: @escaping () throws -> Void) {
        add(name) { done in
            do {
                try body()
                done(nil)
            } catch {
                done(error)
            }
        }
    }

    /// Runs the steps in order; `completion` gets nil after the last one, or the first failure.
    func run(log: @escaping (String) -> Void, completion: @escaping (StartupError?) -> Void) {
        guard !isRunning else { return }
        isRunning = true
        runStep(0, log: log, completion: completion)
    }

    private func runStep(_ index: Int, log: @escaping (String) -> Void, completion: @escaping (StartupError?) -> Void) {
        guard index < steps.count else {
            isRunning = false
            return completion(nil)
        }
        let (name, step) = steps[index]
        var finished = false
        step { [weak self] error in
            guard let self, !finished else { return }
            finished = true
            if let error {
                self.isRunning = false
                return completion(StartupError(step: name, underlying: error))
            }
            self.completedSteps.append(name)
            log("start-up step done: \(name)")
            self.runStep(index + 1, log: log, completion: completion)
        }
    }
}
