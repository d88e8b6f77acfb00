/// Email address shape check and normalisation (fix of bug 29: one rule everywhere, `+` in the
/// local part and long TLDs allowed). Trimmed and lower-cased; `local@domain` where the local
/// part is 1–64 characters of the RFC 5322 atom set with single dots inside, and the domain has
/// at least two labels of letters, digits and inner hyphens, the last one letters only (≥ 2).
public enum EmailAddress {
    public static let maxLength = 254
    public static let maxLocalLength = 64
    public static let maxLabelLength = 63

    /// The normalised address, or nil when it is not a plausible address.
    public static func normalize(_ raw: String) -> String? {
        let text = String(Substring(raw).trimmingASCIISpaces()).lowercased()
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength,
              let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard isValidLocal(local), isValidDomain(domain) else { return nil }
        return text
    }

    public static func isValid(_ raw: String) -> Bool { normalize(raw) != nil }

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
