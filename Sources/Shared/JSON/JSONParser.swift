/// Strict RFC 8259 JSON parser: a byte-level recursive-descent parser over an
/// `UnsafeRawBufferPointer`. One value with surrounding whitespace only; no trailing commas, no
/// comments, no leading zeros; `\u` escapes including surrogate pairs (lone surrogates rejected);
/// invalid UTF-8 and raw control characters in strings rejected. Integers that fit `Int64` become
/// `.int`, other numbers `.double` (out-of-range doubles such as `1e400` are an error). Duplicate
/// object keys: the last one wins. The only limit is `JSONParser.maxDepth`; callers cap input bytes.

/// A parse failure: the byte offset where it was detected and a short reason.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at offset \(offset)" }
}

extension JSON {
    public static func parse(_ bytes: [UInt8]) throws -> JSON {
        try bytes.withUnsafeBytes { try JSONParser.parse($0) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSON {
        try JSONParser.parse(bytes)
    }

    public static func parse(_ string: String) throws -> JSON {
        var s = string
        return try s.withUTF8 { try JSONParser.parse(UnsafeRawBufferPointer($0)) }
    }
}

public struct JSONParser {
    /// Deepest allowed nesting of arrays/objects; one level deeper is an error.
    public static let maxDepth = 64
    /// Elements room is made for when a non-empty array starts.
    static let initialArrayCapacity = 8

    let base: UnsafePointer<UInt8>?
    let end: Int
    var pos = 0
    private var depth = 0
    /// Reused for strings that contain escapes.
    private var scratch: [UInt8] = []

    init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        end = buffer.count
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer) throws -> JSON {
        var p = JSONParser(buffer)
        p.skipWhitespace()
        let value = try p.parseValue()
        p.skipWhitespace()
        if p.pos < p.end { throw p.unexpected() }
        return value
    }

    // MARK: - Helpers

    @inline(__always) func byte(_ i: Int) -> UInt8 { base.unsafelyUnwrapped[i] }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let c = byte(pos)
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? pos, reason: reason)
    }

    /// "Unexpected character 'x'" at the current position, or end of input.
    func unexpected() -> JSONParseError {
        guard pos < end else { return fail("Unexpected end of input") }
        let c = byte(pos)
        if c >= 0x21 && c < 0x7F {
            return fail("Unexpected character '\(Character(Unicode.Scalar(c)))'")
        }
        let hex = String(c, radix: 16, uppercase: true)
        return fail("Unexpected byte 0x\(hex.count == 1 ? "0" + hex : hex)")
    }

    mutating func expectLiteral(_ literal: StaticString, _ value: JSON) throws -> JSON {
        let bytes = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount {
            guard pos < end, byte(pos) == bytes[i] else { throw unexpected() }
            pos += 1
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws -> JSON {
        guard pos < end else { throw unexpected() }
        switch byte(pos) {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expectLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try expectLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try expectLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected()
        }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail("Maximum nesting depth \(JSONParser.maxDepth) exceeded") }
    }

    private mutating func parseArray() throws -> JSON {
        try enter()
        pos += 1
        var items: [JSON] = []
        if !closesEmpty(UInt8(ascii: "]")) {
            // Most arrays on the wire are short rows (an import row has 7 elements): room for them
            // up front instead of growing 1 → 2 → 4 → 8.
            items.reserveCapacity(Self.initialArrayCapacity)
            repeat {
                skipWhitespace()
                items.append(try parseValue())
            } while try anotherElement(before: UInt8(ascii: "]"))
        }
        depth -= 1
        return .array(items)
    }

    private mutating func parseObject() throws -> JSON {
        try enter()
        pos += 1
        var object = JSONObject()
        if !closesEmpty(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard pos < end, byte(pos) == UInt8(ascii: "\"") else { throw unexpected() }
                let key = try parseString()
                skipWhitespace()
                guard pos < end, byte(pos) == UInt8(ascii: ":") else { throw unexpected() }
                pos += 1
                skipWhitespace()
                object[key] = try parseValue()
            } while try anotherElement(before: UInt8(ascii: "}"))
        }
        depth -= 1
        return .object(object)
    }

    /// At the start of an array or object: skips white space and consumes `close` when the
    /// container is empty (`[]`, `{}`).
    @inline(__always)
    private mutating func closesEmpty(_ close: UInt8) -> Bool {
        skipWhitespace()
        guard pos < end && byte(pos) == close else { return false }
        pos += 1
        return true
    }

    /// After an element of an array or object: `,` (true, another element follows) or `close`
    /// (false, the container ends); anything else is an error.
    @inline(__always)
    private mutating func anotherElement(before close: UInt8) throws -> Bool {
        skipWhitespace()
        guard pos < end else { throw unexpected() }
        let c = byte(pos)
        pos += 1
        if c == UInt8(ascii: ",") { return true }
        if c == close { return false }
        pos -= 1
        throw unexpected()
    }

    // MARK: - Strings

    /// Parses a string starting at the opening quote. Runs without escapes are validated and
    /// copied in one piece; only escaped strings go through the scratch buffer.
    mutating func parseString() throws -> String {
        pos += 1
        let start = pos
        var hasEscape = false
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while true {
            guard pos < end else { throw fail("Unterminated string") }
            let c = byte(pos)
            if c == UInt8(ascii: "\"") {
                if !hasEscape {
                    let s = String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start,
                                                                 count: pos - start), as: UTF8.self)
                    pos += 1
                    return s
                }
                appendRun(from: runStart)
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                appendRun(from: runStart)
                hasEscape = true
                try parseEscape()
                runStart = pos
            } else if c < 0x20 {
                throw fail("Control character in string")
            } else if c < 0x80 {
                pos += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    @inline(__always) private mutating func appendRun(from runStart: Int) {
        if pos > runStart {
            scratch.append(contentsOf: UnsafeBufferPointer(start: base.unsafelyUnwrapped + runStart,
                                                           count: pos - runStart))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `pos` (no overlongs, no encoded surrogates,
    /// nothing above U+10FFFF) and advances past it.
    private mutating func skipUTF8Sequence() throws {
        let c0 = byte(pos)
        let length: Int
        var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
        switch c0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw fail("Invalid UTF-8")
        }
        guard end - pos >= length else { throw fail("Invalid UTF-8") }
        let c1 = byte(pos + 1)
        guard c1 >= lowerBound && c1 <= upperBound else { throw fail("Invalid UTF-8") }
        var i = 2
        while i < length {
            guard byte(pos + i) & 0xC0 == 0x80 else { throw fail("Invalid UTF-8") }
            i += 1
        }
        pos += length
    }

    private mutating func parseEscape() throws {
        let escapeStart = pos
        pos += 1
        guard pos < end else { throw fail("Unterminated string") }
        let c = byte(pos)
        pos += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard end - pos >= 6, byte(pos) == UInt8(ascii: "\\"), byte(pos + 1) == UInt8(ascii: "u") else {
                    throw fail("Lone surrogate in \\u escape", at: escapeStart)
                }
                pos += 2
                let low = try readHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail("Lone surrogate in \\u escape", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw fail("Lone surrogate in \\u escape", at: escapeStart)
            }
            appendUTF8(scalar)
        default:
            pos -= 1
            throw fail("Invalid escape sequence")
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard end - pos >= 4 else { throw fail("Invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = byte(pos)
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw fail("Invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    // MARK: - Numbers

    @inline(__always) private func isDigit(_ i: Int) -> Bool {
        i < end && byte(i) >= UInt8(ascii: "0") && byte(i) <= UInt8(ascii: "9")
    }

    mutating func parseNumber() throws -> JSON {
        let start = pos
        let negative = byte(pos) == UInt8(ascii: "-")
        if negative { pos += 1 }
        guard isDigit(pos) else { throw unexpected() }
        // Accumulate negatively so Int64.min fits; overflow falls back to Double.
        var value: Int64 = 0
        var fitsInt = true
        if byte(pos) == UInt8(ascii: "0") {
            pos += 1
            if isDigit(pos) { throw fail("Leading zero in number") }
        } else {
            while isDigit(pos) {
                let digit = Int64(byte(pos) - UInt8(ascii: "0"))
                if fitsInt {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(digit)
                    if o1 || o2 { fitsInt = false } else { value = s }
                }
                pos += 1
            }
        }
        var integral = true
        if pos < end && byte(pos) == UInt8(ascii: ".") {
            integral = false
            pos += 1
            guard isDigit(pos) else { throw unexpected() }
            while isDigit(pos) { pos += 1 }
        }
        if pos < end && (byte(pos) == UInt8(ascii: "e") || byte(pos) == UInt8(ascii: "E")) {
            integral = false
            pos += 1
            if pos < end && (byte(pos) == UInt8(ascii: "+") || byte(pos) == UInt8(ascii: "-")) { pos += 1 }
            guard isDigit(pos) else { throw unexpected() }
            while isDigit(pos) { pos += 1 }
        }
        if integral && fitsInt {
            if negative { return .int(value) }
            if value != Int64.min { return .int(-value) }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: pos - start),
                          as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw fail("Number out of range", at: start) }
        return .double(d)
    }
}
