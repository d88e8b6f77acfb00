/// The three roles a daemon announces in `hello` (docs/IPC.md §3). The permission tables
/// (`IPCCommandName.senders`) and the servers' allowed peers are written in these.
public enum IPCRole: String, CaseIterable, Sendable, Hashable {
    case gateway
    case queue
    case dialer

    /// The name used in logs and in `503 … is not reachable` ("queue-daemon").
    public var daemonName: String {
        switch self {
        case .gateway: return "api-gateway"
        case .queue: return "queue-daemon"
        case .dialer: return "dialer-daemon"
        }
    }
}
