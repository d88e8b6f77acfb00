import Shared

/// The client address of a request (issue 10, "rate limits that fit an office"): the peer's
/// address, unless the peer is a trusted proxy (`IBRAT_TRUSTED_PROXIES`), in which case the
/// address its forwarding header names. `X-Forwarded-For` is read right to left, skipping the
/// trusted proxies on the way, so a client cannot forge its address by sending the header itself;
/// without it the RFC 7239 `Forwarded: for=` parameters are read the same way. A header from an
/// untrusted peer changes nothing.
public struct ClientAddress: Sendable {
    /// Entries of a forwarding header read at most (a longer chain is cut at its right end).
    public static let maxForwardedEntries = 32

    public let trustedProxies: [CIDRBlock]

    public init(trustedProxies: [CIDRBlock]) { self.trustedProxies = trustedProxies }

    public func isTrusted(_ address: String) -> Bool { trustedProxies.contains { $0.contains(address) } }

    /// The address to key limits and logs on for a request from `peer` carrying `headers`.
    public func resolve(peer: String, headers: HTTPHeaders) -> String {
        guard !trustedProxies.isEmpty, isTrusted(peer) else { return peer }
        let chain: [String]
        let xff = headers.values("X-Forwarded-For")
        let forwarded = headers.values("Forwarded")
        if !xff.isEmpty {
            chain = xff.flatMap { $0.split(separator: ",").map { String($0.trimmingASCIISpaces()) } }
        } else if !forwarded.isEmpty {
            chain = forwarded.flatMap { Self.forwardedFor($0) }
        } else {
            return peer
        }
        var last = peer
        for entry in chain.suffix(Self.maxForwardedEntries).reversed() {
            guard let address = Self.normalised(entry) else { return last }
            if !isTrusted(address) { return address }
            last = address
        }
        return last
    }

    /// The `for=` values of one `Forwarded` header value (RFC 7239 §4), in order.
    static func forwardedFor(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingASCIISpaces().lowercased() == "for" else { continue }
                var v = String(parts[1].trimmingASCIISpaces())
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                return v
            }
            return nil
        }
    }

    /// A bare IP from a header entry (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::1`); nil otherwise.
    static func normalised(_ entry: String) -> String? {
        var text = Substring(entry)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = text[..<colon]
        }
        let address = String(text)
        return CIDRBlock.addressBytes(address) == nil ? nil : address
    }
}
