/// Substring search over bytes (memchr on the first byte, then compare), for the multipart parser
/// and anything else that looks for delimiters in large bodies without copying them.
#if canImport(Glibc)
import Glibc
#endif

enum ByteSearch {
    /// First index `i` in `from..<end` with `haystack[i..<i+needle.count] == needle`, else nil.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int, end: Int? = nil) -> Int? {
        let limit = min(end ?? haystack.count, haystack.count)
        guard let base = haystack.baseAddress, let first = needle.first, from >= 0,
              limit - from >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { nb -> Int? in
            guard let nbase = nb.baseAddress else { return nil }
            var i = from
            let lastStart = limit - needle.count
            while i <= lastStart {
                guard let hit = memchr(base + i, Int32(first), lastStart - i + 1) else { return nil }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, nbase, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// True when `haystack[at...]` begins with `prefix`.
    static func hasPrefix(_ prefix: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        guard at >= 0, haystack.count - at >= prefix.count else { return false }
        for (k, b) in prefix.enumerated() where haystack[at + k] != b { return false }
        return true
    }
}
