/// Log priorities with their syslog numbers (journald's `PRIORITY=`, the `<N>` stderr prefix).
/// Lower numbers are more severe; a logger with minimum level `.info` writes 0 through 6.
public enum LogLevel: Int32, CaseIterable, Sendable {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// The names accepted by `IBRAT_LOG_LEVEL`, most verbose first.
    public static let configurableNames = ["debug", "info", "notice", "warning", "error"]

    /// Parses one of `configurableNames` (case-insensitive).
    public init?(configName: String) {
        switch configName.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warning": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    /// The lower-case name ("warning", "emergency", ...).
    public var name: String {
        switch self {
        case .emergency: return "emergency"
        case .alert: return "alert"
        case .critical: return "critical"
        case .error: return "error"
        case .warning: return "warning"
        case .notice: return "notice"
        case .info: return "info"
        case .debug: return "debug"
        }
    }

    /// True when a record at this level is written by a logger whose minimum is `minimum`.
    public func passes(minimum: LogLevel) -> Bool { rawValue <= minimum.rawValue }
}
