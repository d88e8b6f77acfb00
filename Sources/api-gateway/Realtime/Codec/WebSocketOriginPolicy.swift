/// Which browser origins may open a WebSocket (RFC 6455 §10.2). `*` in the list allows every origin;
/// otherwise the `Origin` header must equal one entry (ASCII case-insensitively, since scheme and
/// host are; a trailing `/` in a configured entry is ignored). A request without `Origin` comes
/// from a non-browser client (python-socketio, curl) and is allowed: the check only protects
/// browsers from cross-site use of their cookies/credentials, which such clients don't carry.
struct WebSocketOriginPolicy: Equatable, Sendable {
    static let wildcard = "*"
    static let allowAll = WebSocketOriginPolicy(allowed: [wildcard])

    /// Normalised entries (lower-cased, no trailing slash).
    let allowed: [String]
    let allowsAll: Bool

    init(allowed: [String]) {
        let normalised = allowed.map(Self.normalise).filter { !$0.isEmpty }
        self.allowed = normalised
        allowsAll = normalised.contains(Self.wildcard)
    }

    func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        return allowsAll || allowed.contains(Self.normalise(origin))
    }

    private static func normalise(_ origin: String) -> String {
        var s = trimmedOWS(origin).lowercased()
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// `s` without leading/trailing spaces and tabs (HTTP optional whitespace).
    static func trimmedOWS(_ s: String) -> String {
        var sub = Substring(s)
        while let c = sub.first, c == " " || c == "\t" { sub.removeFirst() }
        while let c = sub.last, c == " " || c == "\t" { sub.removeLast() }
        return String(sub)
    }
}
