/// Percent-decoding of request targets: strict for path segments (a bad `%XX` or invalid UTF-8
/// is a 400), lenient for query strings (form decoding, `+` is a space, bad escapes kept as sent).
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` when `plusAsSpace`). Nil on a malformed escape or invalid UTF-8.
    public static func decode<S: StringProtocol>(_ s: S, plusAsSpace: Bool = false) -> String? {
        let utf8 = s.utf8
        var needs = false
        for b in utf8 where b == UInt8(ascii: "%") || (plusAsSpace && b == UInt8(ascii: "+")) { needs = true; break }
        if !needs { return String(s) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var it = utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                out.append(hv << 4 | lv)
            } else if plusAsSpace && b == UInt8(ascii: "+") {
                out.append(0x20)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Form-decodes a query string into ordered pairs; `a&b=` gives `("a", ""), ("b", "")`.
    public static func queryPairs(_ query: Substring) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let eq = part.firstIndex(of: "=") {
                name = part[..<eq]
                value = part[part.index(after: eq)...]
            } else {
                name = part
                value = ""
            }
            let n = decode(name, plusAsSpace: true) ?? String(name)
            let v = decode(value, plusAsSpace: true) ?? String(value)
            pairs.append((n, v))
        }
        return pairs
    }

    /// Splits a raw path into decoded segments: `/api/leads/` → `["api", "leads"]` (one trailing
    /// slash ignored, inner empty segments kept). Nil when a segment does not decode.
    public static func pathSegments(_ rawPath: Substring) -> [String]? {
        // Split on the byte `/` (ASCII, so every cut is on a character boundary), decoding each
        // part as it is found: one array, no list of parts first (issue 16).
        var segments: [String] = []
        let utf8 = rawPath.utf8
        var start = utf8.startIndex
        var i = start
        var isFirst = true
        var lastWasEmpty = false
        while true {
            let atEnd = i == utf8.endIndex
            if atEnd || utf8[i] == UInt8(ascii: "/") {
                let part = rawPath[start..<i]
                if !(isFirst && part.isEmpty) {
                    guard let decoded = decode(part) else { return nil }
                    segments.append(decoded)
                    lastWasEmpty = part.isEmpty
                } else {
                    lastWasEmpty = false
                }
                isFirst = false
                if atEnd { break }
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        if lastWasEmpty { segments.removeLast() }
        return segments
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
