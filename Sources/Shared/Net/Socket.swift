import Glibc

/// A connection taken from a listening socket: the fd (non-blocking, close-on-exec) and the
/// peer's textual IP address ("unix" for Unix-domain peers).
public struct AcceptedSocket: Equatable, Sendable {
    public let fd: Int32
    public let peerAddress: String
    public init(fd: Int32, peerAddress: String) {
        self.fd = fd
        self.peerAddress = peerAddress
    }
}

/// Thin, errno-checked helpers over the BSD socket calls the daemons need: TCP and Unix
/// listeners, Unix client connections, accept, and fd flags. Every fd returned is non-blocking
/// and close-on-exec; every failure is a `SocketError` naming the operation and address.
public enum Socket {
    private static let stream = Int32(SOCK_STREAM.rawValue)
    private static let streamFlags = stream | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    /// Listens on `host`:`port` (IPv4 or IPv6 according to the host string; port 0 picks a free
    /// port, read it back with `localPort`). SO_REUSEADDR is set so restarts rebind at once.
    public static func listenTCP(host: String, port: UInt16, backlog: Int32 = 1024) throws -> Int32 {
        let display = SocketAddress.display(host: host, port: port)
        var (storage, length) = try SocketAddress.resolve(host: host, port: port)
        let fd = Glibc.socket(Int32(storage.ss_family), streamFlags, 0)
        guard fd >= 0 else { throw SocketError.errno("socket", display) }
        do {
            var one: Int32 = 1
            guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw SocketError.errno("setsockopt(SO_REUSEADDR)", display)
            }
            let bound = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
            }
            guard bound == 0 else { throw SocketError.errno("bind", display) }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.errno("listen", display) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The local port a TCP socket is bound to, or nil if it is not an INET socket.
    public static func localPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return SocketAddress.port(of: storage)
    }

    /// Listens on a Unix stream socket at `path`. A stale socket file left by a killed daemon is
    /// removed first; a live one (someone accepts connections) or a non-socket file is an error.
    /// The socket file is chmod'ed to `mode`.
    public static func listenUnix(path: String, mode: mode_t = 0o660, backlog: Int32 = 256) throws -> Int32 {
        var (address, length) = try SocketAddress.unix(path: path, operation: "listen")
        try removeStaleSocket(path: path)
        let fd = Glibc.socket(AF_UNIX, streamFlags, 0)
        guard fd >= 0 else { throw SocketError.errno("socket", path) }
        do {
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
            }
            guard bound == 0 else { throw SocketError.errno("bind", path) }
            guard chmod(path, mode) == 0 else { throw SocketError.errno("chmod", path) }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError.errno("listen", path) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func removeStaleSocket(path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw SocketError(operation: "listen", address: path, code: EEXIST,
                              detail: "the path exists and is not a socket")
        }
        if let probe = try? connectUnix(path: path) {
            close(probe)
            throw SocketError(operation: "listen", address: path, code: EADDRINUSE,
                              detail: "another process is already listening there")
        }
        guard unlink(path) == 0 || Glibc.errno == ENOENT else {
            throw SocketError.errno("unlink stale socket", path)
        }
    }

    /// Connects to the Unix stream socket at `path` and returns a non-blocking connected fd.
    /// A missing socket file or a refused connection throws an error saying nobody listens
    /// (`SocketError.isNotListening`); a full backlog (EAGAIN) is reported as such.
    public static func connectUnix(path: String) throws -> Int32 {
        var (address, length) = try SocketAddress.unix(path: path, operation: "connect")
        let fd = Glibc.socket(AF_UNIX, streamFlags, 0)
        guard fd >= 0 else { throw SocketError.errno("socket", path) }
        var rc: Int32
        repeat {
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
            }
        } while rc != 0 && Glibc.errno == EINTR
        if rc != 0 {
            let code = Glibc.errno
            close(fd)
            switch code {
            case ENOENT, ECONNREFUSED:
                throw SocketError(operation: "connect", address: path, code: code, detail: "no daemon is listening")
            case EAGAIN:
                throw SocketError(operation: "connect", address: path, code: code, detail: "the listener's backlog is full")
            default:
                throw SocketError(operation: "connect", address: path, code: code)
            }
        }
        return fd
    }

    /// Accepts one pending connection, or nil when none is pending (EAGAIN) or accept failed.
    /// Call it in a loop from the listener's readable handler until it returns nil.
    public static func accept(_ listenFD: Int32) -> AcceptedSocket? {
        (try? acceptOrThrow(listenFD)) ?? nil
    }

    /// Like `accept`, but reports real failures (EMFILE, ENFILE, ENOBUFS, ...) so the caller can
    /// log them and back off; nil still means "nothing pending". Aborted handshakes are skipped.
    public static func acceptOrThrow(_ listenFD: Int32) throws -> AcceptedSocket? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    acceptNonBlocking(listenFD, $0, &length)
                }
            }
            if fd >= 0 {
                let peer = length == 0 ? "unix" : (SocketAddress.text(of: storage) ?? "unknown")
                return AcceptedSocket(fd: fd, peerAddress: peer)
            }
            switch Glibc.errno {
            case EAGAIN, EWOULDBLOCK: return nil
            case EINTR, ECONNABORTED, EPROTO: continue
            default: throw SocketError.errno("accept", "fd \(listenFD)")
            }
        }
    }

    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?,
                                                UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    /// glibc's accept4, looked up once: Swift's Glibc module hides it (it needs _GNU_SOURCE).
    private static let accept4: Accept4? = dlsym(nil, "accept4").map { unsafeBitCast($0, to: Accept4.self) }

    /// accept4(NONBLOCK|CLOEXEC), or accept + fcntl where accept4 is unavailable.
    private static func acceptNonBlocking(_ listenFD: Int32, _ address: UnsafeMutablePointer<sockaddr>,
                                          _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
        if let accept4 {
            return accept4(listenFD, address, length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        }
        let fd = Glibc.accept(listenFD, address, length)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return fd
    }

    /// Sets O_NONBLOCK on `fd`.
    public static func setNonBlocking(_ fd: Int32) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SocketError.errno("fcntl(O_NONBLOCK)", "fd \(fd)")
        }
    }

    /// Disables Nagle's algorithm on a TCP socket (ignored for other sockets).
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Closes `fd`. EINTR is not retried: on Linux the fd is released regardless.
    public static func close(_ fd: Int32) {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
    }
}
