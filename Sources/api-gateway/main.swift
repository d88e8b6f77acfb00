// api-gateway: HTTP API, authentication and realtime for the Ibrat Lead Calling System.
// Everything is in `GatewayApp`; this file only maps start-up errors to exit codes.
import Foundation
import Glibc
import Shared

let config: Config
do {
    config = try Config.load()
} catch {
    FileHandle.standardError.write(Data("<3>api-gateway: \(error)\n".utf8))
    exit(GatewayStartupError.configExitCode)
}
let logger = Logger(identifier: "api-gateway", minimumLevel: config.logLevel)
let loop: EventLoop
do {
    loop = try EventLoop()
} catch {
    logger.critical("cannot create the event loop: \(error)")
    exit(GatewayStartupError.failureExitCode)
}
let app = GatewayApp(config: config, loop: loop, logger: logger)
do {
    // Signals first: a SIGTERM that lands while READY=1 is being sent must still stop gracefully.
    try app.handleTerminationSignals()
    try app.start()
} catch let error as GatewayStartupError {
    logger.critical(error.message)
    exit(error.exitCode)
} catch {
    logger.critical("cannot start: \(error)")
    exit(GatewayStartupError.failureExitCode)
}
do {
    exit(try loop.run())
} catch {
    logger.critical("event loop failed: \(error)")
    exit(GatewayStartupError.failureExitCode)
}
