/// Parses the chunk-size line of a chunked body (RFC 9112 §7.1) without its CR LF:
/// `1*HEXDIG [ BWS ";" chunk-ext ]`. Extensions are ignored. Sizes too large for any body limit
/// saturate at `Int.max` so the caller answers 413.
enum HTTPChunkLine {
    static func parse(_ line: [UInt8]) -> Result<Int, HTTPParseError> {
        var size = 0
        var digits = 0
        var i = 0
        while i < line.count, let v = hexValue(line[i]) {
            if size > (Int.max >> 4) { size = Int.max } else if size != Int.max { size = size << 4 | v }
            digits += 1
            i += 1
        }
        guard digits > 0 else { return .failure(.bad("Malformed chunk size")) }
        while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        if i < line.count && line[i] != UInt8(ascii: ";") { return .failure(.bad("Malformed chunk size")) }
        for b in line[i...] where (b < 0x20 && b != 0x09) || b == 0x7F {
            return .failure(.bad("Invalid character in chunk extension"))
        }
        return .success(size)
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }
}
