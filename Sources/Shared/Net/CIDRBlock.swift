import Glibc

/// An IPv4 or IPv6 address block (`10.0.0.0/8`, `192.168.1.7`, `fd00::/8`), used by
/// `IBRAT_METRICS_ALLOW`. `contains` takes the peer address as the server prints it; an
/// IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) is matched as its IPv4 address.
public struct CIDRBlock: Equatable, Sendable, CustomStringConvertible {
    /// 4 or 16 bytes, with the bits past the prefix cleared.
    public let network: [UInt8]
    public let prefixLength: Int

    /// 127.0.0.0/8 and ::1.
    public static let loopback: [CIDRBlock] = [CIDRBlock("127.0.0.0/8")!, CIDRBlock("::1/128")!]

    /// Parses `address[/prefix]`; nil when either part is invalid.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = given
        }
        network = Self.mask(bytes, length)
        prefixLength = length
    }

    public var description: String {
        "\(Self.text(of: network) ?? "?")/\(prefixLength)"
    }

    /// Whether `address` (text) lies in the block.
    public func contains(_ address: String) -> Bool {
        guard var bytes = Self.bytes(of: address) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            bytes = Array(bytes[12...])
        }
        return bytes.count == network.count && Self.mask(bytes, prefixLength) == network
    }

    /// Whether any of `blocks` contains `address`.
    public static func any(_ blocks: [CIDRBlock], contains address: String) -> Bool {
        blocks.contains { $0.contains(address) }
    }

    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func mask(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xff << (8 - bits))
        }
    }

    static func text(of bytes: [UInt8]) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) } != nil
        return ok ? String(cString: buffer) : nil
    }
}
