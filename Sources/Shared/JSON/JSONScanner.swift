/// A pull reader over JSON bytes for a hot path that knows the shape of what it reads (a CSV
/// import chunk: thousands of rows of the same seven fields), giving Swift values straight away
/// instead of a `JSON` tree. Strings and numbers are read by `JSONParser`'s own code, so they are
/// unescaped and validated exactly as `JSON.parse` does. Anything other than the expected shape
/// throws a `JSONParseError`: the caller then falls back to `JSON.parse`. Only valid while the
/// buffer it was made from is (use it inside `withUnsafeBytes`).
public struct JSONScanner {
    private var parser: JSONParser

    public init(_ buffer: UnsafeRawBufferPointer) {
        parser = JSONParser(buffer)
    }

    /// True when only whitespace is left.
    public mutating func isAtEnd() -> Bool {
        parser.skipWhitespace()
        return parser.pos >= parser.end
    }

    /// Skips whitespace, then consumes `byte` (e.g. `UInt8(ascii: "[")`) or throws.
    public mutating func expect(_ byte: UInt8) throws {
        guard consume(byte) else { throw parser.unexpected() }
    }

    /// Skips whitespace, then consumes `byte` if it is next.
    public mutating func consume(_ byte: UInt8) -> Bool {
        parser.skipWhitespace()
        guard parser.pos < parser.end, parser.byte(parser.pos) == byte else { return false }
        parser.pos += 1
        return true
    }

    /// Skips whitespace, then consumes exactly the bytes of `literal` (e.g. `"importId":`).
    public mutating func expect(_ literal: StaticString) throws {
        parser.skipWhitespace()
        _ = try parser.expectLiteral(literal, .null)
    }

    /// A string value.
    public mutating func string() throws -> String {
        parser.skipWhitespace()
        guard parser.pos < parser.end, parser.byte(parser.pos) == UInt8(ascii: "\"") else { throw parser.unexpected() }
        return try parser.parseString()
    }

    /// An integer value (a number with a fraction or exponent, or out of range, throws).
    public mutating func int() throws -> Int64 {
        parser.skipWhitespace()
        guard parser.pos < parser.end else { throw parser.unexpected() }
        let start = parser.pos
        let c = parser.byte(start)
        guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else { throw parser.unexpected() }
        guard case .int(let value) = try parser.parseNumber() else {
            throw JSONParseError(offset: start, reason: "Expected an integer")
        }
        return value
    }
}
