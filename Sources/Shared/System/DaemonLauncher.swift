/// The process skeleton the three daemons share, as Postfix's services share `multi_server.c`:
/// load the configuration (a bad value prints `<3>name: <error>` on stderr and exits 78,
/// EX_CONFIG, so systemd does not restart a configuration error in a loop), create the logger and
/// the event loop, let the daemon build and start itself (its sockets, signal handling, recovery
/// and only then READY=1 are its own `start`), run the loop, and turn what failed into the exit
/// code. A daemon that finds a failure later in an asynchronous start calls `fail`, which logs it
/// and ends the loop with its code. `main.swift` only passes the result to `exit()`.

import Foundation

/// A daemon the launcher stops on SIGTERM/SIGINT: `STOPPING=1`, close down (at once or after a
/// grace), then `done` (the launcher ends the loop with 0). Idempotent.
public protocol GracefulShutdown: AnyObject {
    func shutdown(then done: @escaping () -> Void)
}

/// The daemons' exit codes, defined once.
public enum DaemonExit {
    /// sysexits.h EX_CONFIG: a configuration error (a bad variable, a socket of the wrong type).
    public static let configError: Int32 = 78
    /// Anything else that stopped the start-up, or a failing event loop.
    public static let startupFailure: Int32 = 1
}

public struct DaemonLauncher {
    /// The log identifier and the prefix of the stderr line (`queue-daemon`, …).
    public let identifier: String
    /// The log line and exit code for an error that stopped the start-up; a nil line prints the
    /// error on stderr as a bad configuration value is (`<3>name: <error>`).
    public let describeFailure: (Error) -> (message: String?, exitCode: Int32)

    public init(identifier: String, describeFailure: @escaping (Error) -> (message: String?, exitCode: Int32)) {
        self.identifier = identifier
        self.describeFailure = describeFailure
    }

    /// Runs the process; returns its exit code. `start` builds and starts the daemon (keep it
    /// alive from outside the closure); it throws a start-up failure, or calls `fail` later.
    public func run(environment: [String: String] = ProcessInfo.processInfo.environment,
                    start: (_ config: Config, _ loop: EventLoop, _ logger: Logger,
                            _ fail: @escaping (Error) -> Void) throws -> Void) -> Int32 {
        let config: Config
        do {
            config = try Config.load(environment: environment)
        } catch {
            printConfigError(error)
            return DaemonExit.configError
        }
        let logger = Logger(identifier: identifier, minimumLevel: config.logLevel)
        let loop: EventLoop
        do {
            loop = try EventLoop()
        } catch {
            logger.critical("\(identifier): cannot create the event loop: \(error)")
            return DaemonExit.startupFailure
        }
        var failedCode: Int32?
        do {
            try start(config, loop, logger) { error in
                let code = report(error, logger: logger)
                failedCode = code
                loop.exit(code: code)
            }
        } catch {
            return report(error, logger: logger)
        }
        do {
            let code = try loop.run()
            return failedCode ?? code
        } catch {
            logger.critical("\(identifier): event loop failed: \(error)")
            return DaemonExit.startupFailure
        }
    }

    /// SIGTERM/SIGINT: `daemon.shutdown`, then the loop ends with 0. Install it before the
    /// daemon's `start`, so a signal that lands during start-up is handled once the loop runs.
    public func stopOnTermination(_ daemon: GracefulShutdown, loop: EventLoop, logger: Logger) throws {
        try loop.onTermination { [identifier, weak daemon, weak loop] signal in
            logger.notice("\(identifier): received signal \(signal), shutting down")
            daemon?.shutdown { loop?.exit(code: 0) }
        }
    }

    private func report(_ error: Error, logger: Logger) -> Int32 {
        let (message, code) = describeFailure(error)
        if let message { logger.critical(message) } else { printConfigError(error) }
        return code
    }

    private func printConfigError(_ error: Error) {
        FileHandle.standardError.write(Data("<3>\(identifier): \(error)\n".utf8))
    }
}
