import XCTest
@testable import Shared

final class CIDRBlockTests: XCTestCase {
    func testParsesAddressesAndBlocks() {
        let rows: [(String, String?)] = [
            ("10.0.0.1", "10.0.0.1/32"), ("10.1.2.3/8", "10.0.0.0/8"), ("::1", "::1/128"),
            ("fd00::/8", "fd00::/8"), ("[::1]", "::1/128"), ("0.0.0.0/0", "0.0.0.0/0"),
            ("10.0.0.0/33", nil), ("::/129", nil), ("10.0.0/8", nil), ("host.example", nil), ("", nil),
            ("10.0.0.0/", nil), ("10.0.0.0/-1", nil), ("10.0.0.0/+8", nil),
        ]
        for (text, expected) in rows {
            XCTAssertEqual(CIDRBlock(text)?.description, expected, text)
        }
    }

    func testContains() {
        let block = CIDRBlock("192.168.4.0/22")!
        XCTAssertTrue(block.contains("192.168.4.1"))
        XCTAssertTrue(block.contains("192.168.7.255"))
        XCTAssertFalse(block.contains("192.168.8.0"))
        XCTAssertTrue(block.contains("::ffff:192.168.5.5"), "IPv4-mapped IPv6 matches an IPv4 block")
        XCTAssertFalse(block.contains("fe80::1"))
        XCTAssertFalse(block.contains("not an address"))
        XCTAssertTrue(CIDRBlock("::1")!.contains("::1"))
        XCTAssertFalse(CIDRBlock("::1")!.contains("127.0.0.1"))
        XCTAssertTrue(CIDRBlock("0.0.0.0/0")!.contains("8.8.8.8"))
    }

    func testParseList() {
        let parsed = CIDRBlock.parseList("127.0.0.1, 10.0.0.0/8 ::1,nope")
        XCTAssertEqual(parsed.blocks.map(\.description), ["127.0.0.1/32", "10.0.0.0/8", "::1/128"])
        XCTAssertEqual(parsed.invalid, ["nope"])
    }
}

final class TextHygieneTests: XCTestCase {
    func testControlCharactersAreRefusedExceptLineBreaksInMultilineText() {
        let rows: [(String, Bool, UInt32?)] = [
            ("Ali Valiyev", false, nil), ("Ünal 🚀", false, nil), ("a\u{0}b", false, 0), ("a\u{0}b", true, 0),
            ("tab\there", false, 9), ("tab\there", true, nil), ("line\nbreak\r\n", true, nil), ("line\n", false, 10),
            ("bell\u{7}", true, 7), ("del\u{7F}", true, 0x7F), ("esc\u{1B}[31m", true, 0x1B), ("", false, nil),
            ("\u{85}next line", false, nil),
        ]
        for (text, multiline, expected) in rows {
            XCTAssertEqual(TextHygiene.forbiddenControl(in: text, multiline: multiline)?.value, expected, "\(text.debugDescription)")
        }
        XCTAssertEqual(TextHygiene.message(field: "name", "\u{0}"), "\"name\" must not contain control characters (U+0000)")
        XCTAssertEqual(TextHygiene.message(field: "notes", "\u{7F}"), "\"notes\" must not contain control characters (U+007F)")
    }
}
