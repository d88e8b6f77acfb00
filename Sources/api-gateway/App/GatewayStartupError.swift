/// A reason the gateway cannot start. `exitCode` is 78 (`EX_CONFIG`) for configuration and
/// credential problems (systemd does not restart-loop on those when told so) and 1 otherwise.
/// The description names the variable or credential to fix.
import Shared

public struct GatewayStartupError: Error, CustomStringConvertible {
    public static let configExitCode = DaemonExit.configError
    public static let failureExitCode = DaemonExit.startupFailure

    public let message: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32 = GatewayStartupError.failureExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    public static func config(_ message: String) -> GatewayStartupError {
        GatewayStartupError(message, exitCode: configExitCode)
    }

    public var description: String { message }
}
