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
