/// Who is online: authenticated sockets per user. A user comes online with their first socket
/// and goes offline when their last one closes or stops being authenticated (fix of
/// reference §4.1, where every closing tab reported the user offline). Pure bookkeeping: the
/// caller emits `user_online` / `user_offline` when a method returns true.
struct RealtimePresence {
    private var socketsByUser: [String: Int] = [:]

    /// Authenticated sockets in total (`activeConnections` of the system status).
    private(set) var authenticatedSockets = 0

    /// Users with at least one authenticated socket.
    var onlineUsers: Int { socketsByUser.count }

    func socketCount(of userId: String) -> Int { socketsByUser[userId] ?? 0 }

    /// The users online now, sorted (`get_online_users`).
    var userIds: [String] { socketsByUser.keys.sorted() }

    /// A socket of `userId` authenticated; true when the user just came online.
    mutating func add(_ userId: String) -> Bool {
        authenticatedSockets += 1
        let count = (socketsByUser[userId] ?? 0) + 1
        socketsByUser[userId] = count
        return count == 1
    }

    /// A socket of `userId` closed or lost its authentication; true when the user just went offline.
    mutating func remove(_ userId: String) -> Bool {
        guard let count = socketsByUser[userId] else { return false }
        authenticatedSockets -= 1
        if count <= 1 {
            socketsByUser[userId] = nil
            return true
        }
        socketsByUser[userId] = count - 1
        return false
    }
}
