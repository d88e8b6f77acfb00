import Glibc

/// The door of `IPCServer` (docs/IPC.md §3): the peer's uid at accept, then `hello` — protocol
/// version and an allowed role — before any command is served.
extension IPCServer {
    /// Whether the peer of the accepted socket `fd` runs as the daemon's uid or root; logs a refusal.
    func admits(fd: Int32) -> Bool {
        guard let credentials = peerCredentials(fd) else {
            logger("ipc \(role): refused a connection whose peer credentials cannot be read")
            return false
        }
        guard credentials.isAllowed(byDaemonUID: daemonUID) else {
            logger("ipc \(role): refused a connection from uid \(credentials.uid) (pid \(credentials.pid)): only uid \(daemonUID) or root may connect")
            return false
        }
        return true
    }

    func hello(_ message: IPCMessage, on session: IPCServerSession) {
        guard message.type == IPCMessage.helloType else {
            return refuse(session, re: message.id, .invalid(code: .helloRequired,
                message: "The first frame must be hello, not \(message.type)"))
        }
        let version = message.body["v"]?.int
        guard version == IPCLimits.protocolVersion else {
            return refuse(session, re: message.id, .invalid(code: .unsupportedVersion,
                message: "Protocol version \(version.map(String.init) ?? "missing") is not supported (expected \(IPCLimits.protocolVersion))"))
        }
        guard let peer = message.body["role"]?.string, allowedPeers.contains(peer) else {
            let shown = message.body["role"]?.string ?? "(none)"
            return refuse(session, re: message.id, .forbidden(code: .roleNotAllowed,
                message: "Role \(shown) may not connect to \(role)"))
        }
        session.helloTimer?.cancel()
        session.helloTimer = nil
        session.peerRole = peer
        session.connection.peerRole = peer
        session.connection.send(IPCMessage(type: IPCMessage.helloType, id: nextID(), re: message.id,
                                           body: ["v": .int(IPCLimits.protocolVersion), "role": .string(role)]))
        logger("ipc \(role): \(session.connection.label) connected")
        onPeerConnected?(peer, session.connection.number)
    }

    func refuse(_ session: IPCServerSession, re: Int64?, _ error: IPCError) {
        session.helloTimer?.cancel()
        session.connection.close(after: IPCMessage.error(to: re, id: nextID(), error),
                                 reason: "handshake refused: \(error.message)")
    }

}
