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

    static func isValidLocal(_ local: ArraySlice<UInt8>) -> Bool {
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

    static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= maxLabelLength,
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                  label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        guard let tld = labels.last, tld.count >= 2,
              tld.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return false }
        return true
    }

    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}
