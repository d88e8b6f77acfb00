import Glibc

/// An IPv4 or IPv6 network written as an address (`10.0.0.1`, `::1`) or a CIDR block
/// (`10.0.0.0/8`, `fd00::/8`), for settings that name trusted peers (`IBRAT_TRUSTED_PROXIES`,
/// `IBRAT_METRICS_ALLOW`). IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) match IPv4 blocks, so a
/// dual-stack listener sees one client whichever way it arrived.
public struct CIDRBlock: Equatable, Sendable, CustomStringConvertible {
    /// The network's address bytes (4 or 16), host bits cleared.
    public let network: [UInt8]
    /// Leading bits that must match.
    public let prefixLength: Int

    /// Parses `text`; nil when it is not an address or a block with a prefix in range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let bytes = Self.addressBytes(String(first)) else { return nil }
        let maxBits = bytes.count * 8
        var prefix = maxBits
        if parts.count == 2 {
            guard parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let bits = Int(parts[1]), (0...maxBits).contains(bits) else { return nil }
            prefix = bits
        }
        network = Self.masked(bytes, prefix)
        prefixLength = prefix
    }

    public var description: String { "\(Self.text(network))/\(prefixLength)" }

    /// True when `address` (textual IP) is inside this block.
    public func contains(_ address: String) -> Bool {
        guard var bytes = Self.addressBytes(address) else { return false }
        if bytes.count == 16, network.count == 4, let v4 = Self.mappedIPv4(bytes) { bytes = v4 }
        guard bytes.count == network.count else { return false }
        return Self.masked(bytes, prefixLength) == network
    }

    /// Parses a comma- or space-separated list; returns the entries that are not blocks as `invalid`.
    public static func parseList(_ text: String) -> (blocks: [CIDRBlock], invalid: [String]) {
        var blocks: [CIDRBlock] = []
        var invalid: [String] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) where !item.isEmpty {
            if let block = CIDRBlock(String(item)) { blocks.append(block) } else { invalid.append(String(item)) }
        }
        return (blocks, invalid)
    }

    /// The bytes of an IPv4 or IPv6 literal (IPv6 optionally in brackets), or nil.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        var literal = Substring(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = literal.dropFirst().dropLast() }
        guard !literal.isEmpty, literal.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(literal), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(literal), &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func mappedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return Array(bytes[12..<16])
    }

    private static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        var out = bytes
        for i in 0..<out.count {
            let bitsHere = min(8, max(0, prefix - i * 8))
            out[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
        }
        return out
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil }
        return ok ? String(cString: buffer) : "?"
    }
}
