import CSystemd
import Glibc

/// systemd socket activation (DESIGN §9): the listening sockets a `.socket` unit passes in, by
/// their `FileDescriptorName=`, and a check that each one is the kind of socket the daemon
/// expects, so a misconfigured unit is refused at start-up with a message naming the socket.
public enum SocketActivation {
    /// Name systemd gives an fd without `FileDescriptorName=`.
    public static let defaultName = "unknown"

    /// Takes the fds passed by systemd (and unsets `LISTEN_FDS`/`LISTEN_PID`/`LISTEN_FDNAMES` so
    /// children do not inherit them), keyed by name. Each fd is made non-blocking and is
    /// close-on-exec. A name used twice gets ".2", ".3", ... appended for the later fds.
    /// Returns an empty dictionary when the process was not socket-activated.
    public static func takeListeners() -> [String: Int32] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = sd_listen_fds_with_names(1, &names)
        defer {
            if let names {
                for index in 0..<Int(max(count, 0)) { free(names[index]) }
                free(names)
            }
        }
        guard count > 0 else { return [:] }
        var result: [String: Int32] = [:]
        for index in 0..<Int(count) {
            let fd = Int32(SD_LISTEN_FDS_START) + Int32(index)
            _ = try? Socket.setNonBlocking(fd)
            var name = defaultName
            if let names, let raw = names[index] { name = String(cString: raw) }
            var key = name
            var suffix = 2
            while result[key] != nil {
                key = "\(name).\(suffix)"
                suffix += 1
            }
            result[key] = fd
        }
        return result
    }

    /// Throws unless `fd` is a listening stream socket: TCP (IPv4 or IPv6) when `expectTCP`,
    /// otherwise Unix-domain. The error names the socket, what was expected and what was found.
    public static func checkStream(fd: Int32, name: String, expectTCP: Bool) throws {
        let rc = expectTCP
            ? sd_is_socket_inet(fd, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), 1, 0)
            : sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0)
        if rc > 0 { return }
        let expected = expectTCP
            ? "a listening TCP stream socket (ListenStream=[host:]port)"
            : "a listening Unix stream socket (ListenStream=/path)"
        throw SocketError(operation: "socket activation", address: "socket \"\(name)\" (fd \(fd))",
                          code: rc < 0 ? -rc : 0,
                          detail: "expected \(expected), got \(describe(fd: fd)) from systemd")
    }

    /// A short description of what `fd` is, for error messages ("a UDP datagram socket", ...).
    static func describe(fd: Int32) -> String {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return "an invalid file descriptor" }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return "something that is not a socket" }
        let domain = socketOption(fd, SO_DOMAIN)
        let type = socketOption(fd, SO_TYPE)
        let listening = socketOption(fd, SO_ACCEPTCONN) == 1
        let family: String
        switch domain {
        case AF_INET: family = "an IPv4"
        case AF_INET6: family = "an IPv6"
        case AF_UNIX: family = "a Unix"
        default: family = "a family-\(domain ?? -1)"
        }
        let kind: String
        switch type {
        case Int32(SOCK_STREAM.rawValue): kind = listening ? "listening stream" : "non-listening stream"
        case Int32(SOCK_DGRAM.rawValue): kind = (domain == AF_UNIX ? "datagram" : "UDP datagram")
        case Int32(SOCK_SEQPACKET.rawValue): kind = "seqpacket"
        default: kind = "type \(type ?? -1)"
        }
        return "\(family) \(kind) socket"
    }

    private static func socketOption(_ fd: Int32, _ option: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 ? value : nil
    }
}
