/// The request-target forms a server must accept (RFC 9112 §3.2): origin-form (`/path?query`),
/// and absolute-form (`http://host:port/path?query`, what a client talking to a proxy sends,
/// §3.2.2), which is reduced to origin-form with its authority taken as the `Host` ("the server
/// MUST ignore the received Host header field … and instead use the host information of the
/// request-target"). The asterisk-form and the authority-form belong to `OPTIONS *` and
/// `CONNECT`, which this server does not serve, and are refused like anything else.
enum HTTPRequestTarget {
    /// Schemes accepted in the absolute-form (compared case-insensitively).
    static let schemes = ["http://", "https://"]

    /// The origin-form of `target` and, for the absolute-form, its authority; nil when the
    /// target is neither (400). `target` is the raw ASCII request-target.
    static func normalise(_ target: Substring) -> (originForm: Substring, authority: Substring?)? {
        if target.utf8.first == UInt8(ascii: "/") { return (target, nil) }
        guard let scheme = schemes.first(where: { hasPrefixIgnoringCase(target, $0) }) else { return nil }
        let rest = target.dropFirst(scheme.count)
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<end]
        // An empty host or userinfo (`user@host`, deprecated and a phishing vector: RFC 9110 §4.2.4).
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let remainder = rest[end...]
        if remainder.isEmpty { return ("/", authority) }
        if remainder.first == "?" { return (Substring("/" + remainder), authority) }
        return (remainder, authority)
    }

    private static func hasPrefixIgnoringCase(_ s: Substring, _ prefix: String) -> Bool {
        guard s.utf8.count >= prefix.utf8.count else { return false }
        return zip(s.utf8, prefix.utf8).allSatisfy { HTTPHeaders.asciiLower($0) == $1 }
    }
}
