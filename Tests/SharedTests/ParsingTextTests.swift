import XCTest
@testable import Shared

/// `ParsingText`: ASCII whitespace trimming (the same string back when there is nothing to trim),
/// ASCII lower-casing, and byte access without copies.
final class ParsingTextTests: XCTestCase {
    func testTrimRemovesOnlyASCIISpacesTabsAndLineEnds() {
        let cases: [(String, String)] = [
            ("", ""), ("   ", ""), ("a", "a"), (" a ", "a"), ("\t\r\n a b \n", "a b"), ("\u{A0}a\u{A0}", "\u{A0}a\u{A0}"),
            ("  Ünï  ", "Ünï"), ("x  ", "x"), ("  x", "x"), ("é", "é"), (" \u{1F600} ", "\u{1F600}"),
        ]
        for (input, expected) in cases { XCTAssertEqual(ParsingText.trim(input), expected, input.debugDescription) }
    }

    func testLowercasingIsASCIIOnly() {
        XCTAssertEqual(ParsingText.asciiLowercased("MeDiUm"), "medium")
        XCTAssertEqual(ParsingText.asciiLowercased("ÜRGENT"), "Ürgent")
    }

    func testBytesSeesTheUTF8() {
        XCTAssertEqual(ParsingText.bytes("aé") { Array($0) }, [0x61, 0xC3, 0xA9])
        XCTAssertEqual(ParsingText.bytes("") { $0.count }, 0)
    }
}
