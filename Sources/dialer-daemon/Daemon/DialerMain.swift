import Foundation
import Shared

/// The dialer-daemon process (`main.swift` calls `run`) on the shared `DaemonLauncher` skeleton:
/// handles SIGTERM/SIGINT with a graceful shutdown, takes systemd's sockets, starts the daemon and
/// runs the loop. Returns the process exit status.
enum DialerMain {
    static let identifier = "dialer-daemon"

    static func run(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        var daemon: DialerDaemon?
        let launcher = DaemonLauncher(identifier: identifier) { error in
            ("\(identifier): \(error)", (error as? DialerStartupError)?.exitCode ?? DaemonExit.startupFailure)
        }
        let code = launcher.run(environment: environment) { config, loop, logger, _ in
            let dialer = DialerDaemon(config: config, loop: loop, logger: logger,
                                      activatedListeners: SocketActivation.takeListeners())
            daemon = dialer
            try launcher.stopOnTermination(dialer, loop: loop, logger: logger)
            try dialer.start()
        }
        withExtendedLifetime(daemon) {}
        return code
    }
}
