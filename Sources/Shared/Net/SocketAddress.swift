import Glibc

/// Conversions between host strings / ports and `sockaddr_storage`, used by `Socket`.
/// Every host goes through getaddrinfo, which parses numeric IPv4 and IPv6 literals (IPv6
/// optionally in brackets) itself, without a lookup, and resolves any other name. Peer addresses
/// are rendered as plain textual IPs, with IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) shown as
/// IPv4 so per-IP limits see one client.
enum SocketAddress {
    /// Resolves `host`:`port` to a socket address and its length.
    static func resolve(host: String, port: UInt16) throws -> (storage: sockaddr_storage, length: socklen_t) {
        var literal = host
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if literal.isEmpty || literal == "*" { literal = "0.0.0.0" }

        return try lookup(host: literal, port: port)
    }

    /// getaddrinfo's first stream address for `host` (a numeric literal or a name).
    private static func lookup(host: String, port: UInt16) throws -> (storage: sockaddr_storage, length: socklen_t) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        defer { if let result { freeaddrinfo(result) } }
        guard rc == 0, let first = result, let addr = first.pointee.ai_addr else {
            let text = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw SocketError(operation: "resolve", address: "\(host):\(port)", code: 0, detail: text)
        }
        var storage = sockaddr_storage()
        let length = min(Int(first.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: addr, count: length))
        }
        return (storage, socklen_t(length))
    }

    /// Fills a `sockaddr_un` for `path`; throws when the path does not fit in `sun_path`.
    static func unix(path: String, operation: String) throws -> (address: sockaddr_un, length: socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw SocketError(operation: operation, address: path, code: ENAMETOOLONG,
                              detail: "a Unix socket path must be 1 to \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + 1)
        return (address, length)
    }

    /// The textual IP of an address ("unix" for AF_UNIX), or nil for other families.
    static func text(of storage: sockaddr_storage) -> String? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> String? in
            guard let base = raw.baseAddress else { return nil }
            switch family {
            case AF_UNIX:
                return "unix"
            case AF_INET:
                var sin = base.load(as: sockaddr_in.self)
                return ntop(AF_INET, &sin.sin_addr)
            case AF_INET6:
                var sin6 = base.load(as: sockaddr_in6.self)
                let b = withUnsafeBytes(of: &sin6.sin6_addr) { Array($0) }
                if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff {
                    return "\(b[12]).\(b[13]).\(b[14]).\(b[15])"
                }
                return ntop(AF_INET6, &sin6.sin6_addr)
            default:
                return nil
            }
        }
    }

    /// The port of an INET/INET6 address, host byte order.
    static func port(of storage: sockaddr_storage) -> UInt16? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> UInt16? in
            switch family {
            case AF_INET: return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case AF_INET6: return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            default: return nil
            }
        }
    }

    private static func ntop(_ family: Int32, _ source: UnsafeRawPointer) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(family, source, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(cString: buffer)
    }

    /// "host:port", with brackets around IPv6 literals, for error messages.
    static func display(host: String, port: UInt16) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
