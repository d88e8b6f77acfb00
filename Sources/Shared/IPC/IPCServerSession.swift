/// Server-side state of one accepted IPC connection: handshake progress, the hello deadline,
/// subscribed event prefixes and the number of requests still awaiting a reply.
final class IPCServerSession {
    let connection: IPCConnection
    var peerRole: String?
    var helloTimer: TimerSource?
    private(set) var prefixes: [String] = []
    var pendingRequests = 0

    init(connection: IPCConnection) {
        self.connection = connection
    }

    var isReady: Bool { peerRole != nil }

    /// Adds `newPrefixes` (duplicates ignored); false when the total would exceed `limit`.
    func subscribe(_ newPrefixes: [String], limit: Int) -> Bool {
        let added = newPrefixes.filter { !prefixes.contains($0) }
        var unique: [String] = []
        for prefix in added where !unique.contains(prefix) { unique.append(prefix) }
        guard prefixes.count + unique.count <= limit else { return false }
        prefixes += unique
        return true
    }

    func isSubscribed(to type: String) -> Bool {
        for prefix in prefixes where type.hasPrefix(prefix) { return true }
        return false
    }
}
