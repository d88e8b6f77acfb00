// api-gateway: HTTP API, authentication and realtime for the Ibrat Lead Calling System.
// Everything is in `GatewayApp`, run on the shared `DaemonLauncher` skeleton; this file only maps
// start-up errors to log lines and exit codes.
import Glibc
import Shared

var app: GatewayApp?
let launcher = DaemonLauncher(identifier: "api-gateway") { error in
    if let failure = error as? GatewayStartupError { return (failure.message, failure.exitCode) }
    return ("cannot start: \(error)", DaemonExit.startupFailure)
}
exit(launcher.run { config, loop, logger, _ in
    let gateway = GatewayApp(config: config, loop: loop, logger: logger)
    app = gateway
    // Signals first: a SIGTERM that lands while READY=1 is being sent must still stop gracefully.
    try launcher.stopOnTermination(gateway, loop: loop, logger: logger)
    try gateway.start()
})
