/// The daemons the gateway sends commands to (DESIGN §3).
public enum IPCPeer: String, CaseIterable {
    case queue
    case dialer

    /// The name used in logs and in `503 … is not reachable`.
    public var daemonName: String {
        switch self {
        case .queue: return "queue-daemon"
        case .dialer: return "dialer-daemon"
        }
    }
}
