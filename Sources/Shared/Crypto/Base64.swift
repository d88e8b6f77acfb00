/// Base64 (RFC 4648 §4), standard alphabet with `=` padding. Decoding is strict: no whitespace,
/// length a multiple of 4, padding only at the end, and unused trailing bits must be zero, so every
/// byte string has exactly one accepted encoding. `Base64URL` shares the codec.
public enum Base64 {
    static let standardAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let standardDecodeTable = makeDecodeTable(standardAlphabet)
    static let urlDecodeTable = makeDecodeTable(urlAlphabet)
    static let invalid: UInt8 = 0xff

    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodeBytes(bytes, alphabet: standardAlphabet, pad: true), as: UTF8.self)
    }

    /// Strict decoding; nil on any deviation from the canonical padded form.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    public static func decode(bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count % 4 == 0 else { return nil }
        return decodeBytes(bytes, table: standardDecodeTable, paddingRequired: true)
    }

    static func makeDecodeTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: invalid, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }

    static func encodeBytes(_ input: [UInt8], alphabet: [UInt8], pad: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        let n = input.count
        var i = 0
        while i + 3 <= n {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int((v >> 12) & 63)])
            out.append(alphabet[Int((v >> 6) & 63)])
            out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = n - i
        if rest == 1 {
            let v = UInt32(input[i]) << 16
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int((v >> 12) & 63)])
            if pad { out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "=")) }
        } else if rest == 2 {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int((v >> 12) & 63)])
            out.append(alphabet[Int((v >> 6) & 63)])
            if pad { out.append(UInt8(ascii: "=")) }
        }
        return out
    }

    /// Decodes `input`. With `paddingRequired` the length is a multiple of 4 and the last group is
    /// padded; without it, padding may be absent but, if present, must be complete and correct.
    static func decodeBytes(_ input: [UInt8], table: [UInt8], paddingRequired: Bool) -> [UInt8]? {
        var end = input.count
        var padCount = 0
        while end > 0 && input[end - 1] == UInt8(ascii: "=") && padCount < 3 {
            end -= 1
            padCount += 1
        }
        if padCount > 0 {
            // Padding completes the final group of four, and only 1 or 2 pad characters exist.
            guard padCount <= 2, input.count % 4 == 0 else { return nil }
        } else if paddingRequired, input.count % 4 != 0 {
            return nil
        }
        let tail = end % 4
        guard tail != 1 else { return nil }
        if padCount > 0 && tail + padCount != 4 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(end / 4 * 3 + 2)
        var i = 0
        while i + 4 <= end {
            let a = table[Int(input[i])], b = table[Int(input[i + 1])]
            let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
            if (a | b | c | d) & 0xc0 != 0 { return nil }
            let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            out.append(UInt8(truncatingIfNeeded: v >> 8))
            out.append(UInt8(truncatingIfNeeded: v))
            i += 4
        }
        if tail == 2 {
            let a = table[Int(input[i])], b = table[Int(input[i + 1])]
            if (a | b) & 0xc0 != 0 || b & 0x0f != 0 { return nil }
            out.append(a << 2 | b >> 4)
        } else if tail == 3 {
            let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
            if (a | b | c) & 0xc0 != 0 || c & 0x03 != 0 { return nil }
            out.append(a << 2 | b >> 4)
            out.append(b << 4 | c >> 2)
        }
        return out
    }
}
