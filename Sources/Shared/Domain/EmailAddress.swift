/// The one email rule (issue 11; fix of bug 29: `+` in the local part and long TLDs allowed), used
/// for user emails, lead emails (REST, CSV upload, the queue-daemon's last check) and
/// `IBRAT_ADMIN_EMAIL`. Surrounding spaces and tabs are trimmed and ASCII letters lower-cased;
/// the address is `local@domain` where the local part is 1–64 characters of the RFC 5322 atom set
/// with single dots inside, and the domain has at least two labels of letters, digits and inner
/// hyphens, the last one letters only (≥ 2). Anything outside ASCII is refused. Works on the
/// UTF-8 bytes and allocates nothing for an address already trimmed and lower-case (the import
/// path checks up to ~150,000 of them).
public enum EmailAddress {
    public static let maxLength = 254
    public static let maxLocalLength = 64
    public static let maxLabelLength = 63

    /// The normalised address, or nil when it is not a plausible address.
    public static func normalize(_ raw: String) -> String? {
        var raw = raw
        let verdict = raw.withUTF8 { u -> Bool? in
            guard let first = u.first, let last = u.last, !isSpace(first), !isSpace(last),
                  !u.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return nil }
            return isValid(bytes: u)
        }
        if let verdict { return verdict ? raw : nil }
        var bytes = Array(raw.utf8)
        while let b = bytes.last, isSpace(b) { bytes.removeLast() }
        let start = bytes.firstIndex(where: { !isSpace($0) }) ?? bytes.endIndex
        bytes.removeFirst(start)
        for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") { bytes[i] += 32 }
        guard isValid(bytes: bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func isValid(_ raw: String) -> Bool { normalize(raw) != nil }

    /// Whether trimmed, lower-cased `bytes` are an address.
    static func isValid<Bytes: BidirectionalCollection>(bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= maxLength, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        return isValidLocal(bytes[..<at]) && isValidDomain(bytes[bytes.index(after: at)...])
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }

    static func isValidLocal<Bytes: BidirectionalCollection>(_ local: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard !local.isEmpty, local.count <= maxLocalLength,
              local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
        var previousDot = false
        for b in local {
            let isDot = b == UInt8(ascii: ".")
            if isDot && previousDot { return false }
            previousDot = isDot
            if isDot || isAlnum(b) { continue }
            guard "!#$%&'*+/=?^_`{|}~-".utf8.contains(b) else { return false }
        }
        return true
    }

    /// At least two labels of 1–63 letters, digits and inner hyphens, the last one (the TLD) 2 or
    /// more letters; one pass, nothing allocated.
    static func isValidDomain<Bytes: Collection>(_ domain: Bytes) -> Bool where Bytes.Element == UInt8 {
        var labels = 0
        var length = 0
        var first: UInt8 = 0, last: UInt8 = 0
        var lettersOnly = true
        func labelEnds() -> Bool {
            labels += 1
            return length > 0 && length <= maxLabelLength && first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
        }
        for b in domain {
            if b == UInt8(ascii: ".") {
                guard labelEnds() else { return false }
                length = 0
                lettersOnly = true
                continue
            }
            guard isAlnum(b) || b == UInt8(ascii: "-") else { return false }
            if length == 0 { first = b }
            last = b
            length += 1
            if !(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) { lettersOnly = false }
        }
        guard labelEnds(), labels >= 2 else { return false }
        return length >= 2 && lettersOnly
    }

    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}
