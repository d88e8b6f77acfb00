/// Small text helpers shared by the parsers in this folder: ASCII-only, no Foundation, cheap on the
/// common path (nothing to trim → the same string back, no copy).
enum ParsingText {
    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    /// `s` without leading and trailing spaces, tabs, CR and LF.
    static func trim(_ s: String) -> String {
        let (start, end, count) = bytes(s) { u -> (Int, Int, Int) in
            var start = 0, end = u.count
            while start < end && isWhitespace(u[start]) { start += 1 }
            while end > start && isWhitespace(u[end - 1]) { end -= 1 }
            return (start, end, u.count)
        }
        if start == 0 && end == count { return s }
        if start == end { return "" }
        let u = s.utf8
        return String(Substring(s.utf8[u.index(u.startIndex, offsetBy: start)..<u.index(u.startIndex, offsetBy: end)]))
    }

    /// Runs `body` over the UTF-8 bytes of `s` (no copy for a native string).
    @inline(__always)
    static func bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = s
        return try s.withUTF8(body)
    }

    /// ASCII lower-casing (A–Z only); returns `s` itself when there is nothing to change.
    static func asciiLowercased(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
