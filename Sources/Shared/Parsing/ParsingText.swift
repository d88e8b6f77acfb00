/// Small text helpers shared by the parsers in this folder: ASCII-only, no Foundation, cheap on the
/// common path (nothing to trim → the same string back, no copy).
enum ParsingText {
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    /// `s` without leading and trailing spaces, tabs, CR and LF.
    static func trim(_ s: String) -> String {
        let u = s.utf8
        guard let first = u.firstIndex(where: { !isWhitespace($0) }),
              let last = u.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        if first == u.startIndex && u.index(after: last) == u.endIndex { return s }
        return String(s[first...last])
    }

    /// ASCII lower-casing (A–Z only); returns `s` itself when there is nothing to change.
    static func asciiLowercased(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
