/// Strict `application/x-www-form-urlencoded` decoding of request bodies (Twilio's webhooks):
/// pairs split on "&", name and value on the first "=", "+" is a space, `%XX` escapes decoded,
/// the result must be UTF-8. Unlike the lenient query-string decoding, a malformed escape,
/// invalid UTF-8, a control character, an empty name or more than `maxPairs` pairs is an error
/// (the webhook answers 400). Works on the body bytes without intermediate strings.
public enum FormURLEncoded {
    /// At most this many pairs (Twilio sends about 20).
    public static let maxPairs = 256
    /// The media type (parameters such as `charset=utf-8` are allowed after it).
    public static let mediaType = "application/x-www-form-urlencoded"

    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case malformedEscape(pair: Int)
        case invalidUTF8(pair: Int)
        case controlCharacter(pair: Int)
        case emptyName(pair: Int)
        case tooManyPairs

        public var description: String {
            switch self {
            case .malformedEscape(let n): return "pair \(n) has a malformed %-escape"
            case .invalidUTF8(let n): return "pair \(n) is not valid UTF-8"
            case .controlCharacter(let n): return "pair \(n) contains a control character"
            case .emptyName(let n): return "pair \(n) has an empty name"
            case .tooManyPairs: return "more than \(FormURLEncoded.maxPairs) fields"
            }
        }
    }

    /// True when `contentType` is the form media type (case-insensitive, parameters ignored).
    public static func isFormContentType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return trimOWS(type).lowercased() == mediaType
    }

    /// Decodes `body` into ordered pairs; empty segments (`a=1&&b=2`, a trailing "&") are skipped.
    public static func decode(_ body: [UInt8]) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        var start = 0
        var number = 0
        while start <= body.count {
            var end = start
            while end < body.count && body[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                number += 1
                guard number <= maxPairs else { throw DecodeError.tooManyPairs }
                var eq = start
                while eq < end && body[eq] != UInt8(ascii: "=") { eq += 1 }
                let name = try decodePart(body, start, eq, pair: number)
                let value = eq < end ? try decodePart(body, eq + 1, end, pair: number) : ""
                guard !name.isEmpty else { throw DecodeError.emptyName(pair: number) }
                pairs.append((name, value))
            }
            start = end + 1
        }
        return pairs
    }

    private static func decodePart(_ bytes: [UInt8], _ from: Int, _ to: Int, pair: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(to - from)
        var i = from
        while i < to {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < to, let high = PercentDecoding.hexValue(bytes[i + 1]),
                      let low = PercentDecoding.hexValue(bytes[i + 2]) else {
                    throw DecodeError.malformedEscape(pair: pair)
                }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(b == UInt8(ascii: "+") ? 0x20 : b)
                i += 1
            }
        }
        // Tabs and line breaks are legitimate in free text (an error message); other controls are not.
        if out.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d) || $0 == 0x7f }) {
            throw DecodeError.controlCharacter(pair: pair)
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw DecodeError.invalidUTF8(pair: pair) }
        return text
    }
}
