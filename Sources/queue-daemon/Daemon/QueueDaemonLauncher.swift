/// The queue-daemon process entry (called by `main.swift`): loads the configuration (a bad value
/// prints `<3>queue-daemon: <error>` on stderr and exits 78, EX_CONFIG), builds the loop, logger
/// and `QueueDaemon`, starts it and runs the loop. Returns the process exit code.

import Glibc
import Shared

enum QueueDaemonLauncher {
    /// sysexits.h EX_CONFIG: systemd does not restart a unit for a configuration error loop.
    static let configErrorExitCode: Int32 = 78
    static let startupFailureExitCode: Int32 = 1

    static func run() -> Int32 {
        let config: Config
        do {
            config = try Config.load()
        } catch {
            return configFailure(error)
        }
        let logger = Logger(identifier: "queue-daemon", minimumLevel: config.logLevel)
        // One malloc arena, so the heap an import used (built on its thread) can be given back.
        HeapTrimmer.fixArenas()
        let loop: EventLoop
        let daemon: QueueDaemon
        do {
            loop = try EventLoop()
            daemon = try QueueDaemon(config: config, loop: loop, logger: logger)
            QueueMetrics.install(on: daemon, dispatcher: Dispatcher.install(on: daemon))
        } catch let error as ConfigError {
            return configFailure(error)
        } catch {
            logger.critical("queue-daemon could not start: \(error)")
            return startupFailureExitCode
        }
        var exitCode: Int32 = 0
        daemon.start { error in
            guard let error else { return }
            logger.critical("queue-daemon could not start: \(error)")
            // A socket of the wrong type from systemd is a configuration error like a bad variable.
            let isConfig = (error as? SocketError)?.operation == "socket activation" || error is ConfigError
            exitCode = isConfig ? configErrorExitCode : startupFailureExitCode
            daemon.stop()
            loop.exit(code: exitCode)
        }
        do {
            let code = try loop.run()
            return exitCode != 0 ? exitCode : code
        } catch {
            logger.critical("queue-daemon event loop failed: \(error)")
            return startupFailureExitCode
        }
    }

    private static func configFailure(_ error: Error) -> Int32 {
        let line = "<3>queue-daemon: \(error)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        return configErrorExitCode
    }
}
