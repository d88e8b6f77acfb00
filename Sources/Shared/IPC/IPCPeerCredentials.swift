import Glibc

/// Who is at the other end of an accepted Unix socket (`SO_PEERCRED`: the process, user and
/// group that connected), and the rule a daemon applies to it: only its own uid or root may talk
/// to it, whatever the socket file's mode lets through (docs/IPC.md §3). `IPCServer` reads the
/// credentials at accept through an injectable provider, so tests can pose as another uid.
public struct IPCPeerCredentials: Equatable, Sendable {
    public let pid: Int32
    public let uid: UInt32
    public let gid: UInt32

    /// The kernel's record of the peer of the connected Unix socket `fd`, nil when unavailable.
    public static func of(fd: Int32) -> IPCPeerCredentials? {
        // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }` (Glibc hides it behind _GNU_SOURCE).
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        let size = MemoryLayout<(Int32, UInt32, UInt32)>.size
        var length = socklen_t(size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, Int(length) == size else { return nil }
        return IPCPeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }

    /// The root uid, always allowed.
    public static let rootUID: UInt32 = 0

    /// Whether a daemon running as `daemonUID` may talk to this peer: the same uid, or root.
    public func isAllowed(byDaemonUID daemonUID: UInt32) -> Bool {
        uid == daemonUID || uid == Self.rootUID
    }
}

/// Reads a connection's peer credentials (the default asks the kernel; tests inject others).
public typealias IPCPeerCredentialsProvider = (Int32) -> IPCPeerCredentials?
