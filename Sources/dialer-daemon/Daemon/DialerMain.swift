import Foundation
import Shared

/// The dialer-daemon process (`main.swift` calls `run`): loads the configuration (a bad value
/// prints `<3>dialer-daemon: <error>` and exits 78), creates the logger and the loop, handles
/// SIGTERM/SIGINT with a graceful shutdown, takes systemd's sockets, starts the daemon and runs
/// the loop. Returns the process exit status.
enum DialerMain {
    static let identifier = "dialer-daemon"

    static func run(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        let config: Config
        do {
            config = try Config.load(environment: environment)
        } catch {
            writeStderr("<3>\(identifier): \(error)\n")
            return DialerLimits.exitConfig
        }
        let logger = Logger(identifier: identifier, minimumLevel: config.logLevel)
        let loop: EventLoop
        do {
            loop = try EventLoop()
        } catch {
            logger.error("\(identifier): cannot create the event loop: \(error)")
            return DialerLimits.exitStartupFailure
        }
        let daemon = DialerDaemon(config: config, loop: loop, logger: logger,
                                  activatedListeners: SocketActivation.takeListeners())
        do {
            // Registered first: a SIGTERM during start-up is handled once the loop runs.
            try loop.onTermination { [weak loop] signal in
                logger.notice("\(identifier): received signal \(signal), shutting down")
                daemon.shutdown { loop?.exit(code: 0) }
            }
            try daemon.start()
        } catch {
            logger.error("\(identifier): \(error)")
            return (error as? DialerStartupError)?.exitCode ?? DialerLimits.exitStartupFailure
        }
        do {
            return try loop.run()
        } catch {
            logger.error("\(identifier): event loop failed: \(error)")
            return DialerLimits.exitStartupFailure
        }
    }

    private static func writeStderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
