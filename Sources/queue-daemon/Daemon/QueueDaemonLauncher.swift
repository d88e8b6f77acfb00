/// The queue-daemon process entry (called by `main.swift`) on the shared `DaemonLauncher`
/// skeleton: builds the `QueueDaemon` with the dispatcher and metrics, starts it (start-up steps,
/// stuck-lead recovery, then READY) and runs the loop. Returns the process exit code.

import Shared

enum QueueDaemonLauncher {
    static let identifier = "queue-daemon"

    static func run() -> Int32 {
        // One malloc arena, so the heap an import used (built on its thread) can be given back.
        HeapTrimmer.fixArenas()
        var daemon: QueueDaemon?
        var starting = true
        let launcher = DaemonLauncher(identifier: identifier) { error in
            // Building the daemon: a bad configuration value is printed like one read at load.
            if starting, error is ConfigError { return (nil, DaemonExit.configError) }
            // A socket of the wrong type from systemd is a configuration error like a bad variable.
            let isConfig = (error as? SocketError)?.operation == "socket activation" || error is ConfigError
            return ("queue-daemon could not start: \(error)", isConfig ? DaemonExit.configError : DaemonExit.startupFailure)
        }
        let code = launcher.run { config, loop, logger, fail in
            let queue = try QueueDaemon(config: config, loop: loop, logger: logger)
            daemon = queue
            try launcher.stopOnTermination(queue, loop: loop, logger: logger)
            QueueMetrics.install(on: queue, dispatcher: Dispatcher.install(on: queue))
            starting = false
            queue.start { error in
                guard let error else { return }
                queue.stop()
                fail(error)
            }
        }
        withExtendedLifetime(daemon) {}
        return code
    }
}
