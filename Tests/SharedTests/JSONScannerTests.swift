import XCTest
@testable import Shared

/// `JSONScanner` reads known shapes with `JSONParser`'s own string and number rules.
final class JSONScannerTests: XCTestCase {
    private func scan<T>(_ text: String, _ body: (inout JSONScanner) throws -> T) throws -> T {
        try Array(text.utf8).withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes)
            return try body(&scanner)
        }
    }

    func testReadsAKnownShapeWithWhitespaceAndEscapes() throws {
        let text = #" { "k" : [ 12 , "a\"b\\c\u00e9\n" , "" ] } "#
        let (n, s, e, end) = try scan(text) { scanner -> (Int64, String, String, Bool) in
            try scanner.expect(UInt8(ascii: "{"))
            XCTAssertEqual(try scanner.string(), "k")
            try scanner.expect(UInt8(ascii: ":"))
            try scanner.expect(UInt8(ascii: "["))
            let n = try scanner.int()
            try scanner.expect(UInt8(ascii: ","))
            let s = try scanner.string()
            XCTAssertTrue(scanner.consume(UInt8(ascii: ",")))
            let e = try scanner.string()
            XCTAssertFalse(scanner.consume(UInt8(ascii: ",")))
            try scanner.expect(UInt8(ascii: "]"))
            try scanner.expect(UInt8(ascii: "}"))
            return (n, s, e, scanner.isAtEnd())
        }
        XCTAssertEqual(n, 12)
        XCTAssertEqual(s, "a\"b\\cé\n")
        XCTAssertEqual(e, "")
        XCTAssertTrue(end)
    }

    func testLiteralsAndIntegersAreStrict() {
        XCTAssertNoThrow(try scan(#"{"importId":"x""#) { try $0.expect(#"{"importId":"#) })
        XCTAssertThrowsError(try scan(#"{"importID":"x""#) { try $0.expect(#"{"importId":"#) })
        XCTAssertThrowsError(try scan("1.5") { try $0.int() }, "a fraction is not an integer")
        XCTAssertThrowsError(try scan("1e3") { try $0.int() })
        XCTAssertThrowsError(try scan("012") { try $0.int() }, "leading zero, as JSON.parse")
        XCTAssertThrowsError(try scan("99999999999999999999") { try $0.int() }, "out of range")
        XCTAssertEqual(try scan("-7") { try $0.int() }, -7)
        XCTAssertThrowsError(try scan("\"open") { try $0.string() }, "unterminated")
        XCTAssertThrowsError(try scan("\"bad\\q\"") { try $0.string() }, "bad escape, as JSON.parse")
        XCTAssertThrowsError(try scan("12") { try $0.string() }, "not a string")
        XCTAssertThrowsError(try scan("") { try $0.int() })
    }
}
