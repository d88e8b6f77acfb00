import XCTest
@testable import Shared

/// FIPS 180-1 / RFC 3174 example vectors for SHA-1.
final class SHA1Tests: XCTestCase {
    private func hex(_ s: String) -> String { Hex.encode(SHA1.hash(Array(s.utf8))) }

    func testABC() {
        XCTAssertEqual(hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    func testEmpty() {
        XCTAssertEqual(hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }

    func test448BitMessage() {
        XCTAssertEqual(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    func test896BitMessage() {
        let m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        XCTAssertEqual(hex(m), "a49b2446a02c645bf419f995b67091253a04a259")
    }

    func testOneMillionA() {
        XCTAssertEqual(Hex.encode(SHA1.hash([UInt8](repeating: 0x61, count: 1_000_000))),
                       "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    func testIncrementalMatchesOneShot() {
        let data = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let expected = SHA1.hash(data)
        for split in [0, 1, 63, 64, 65, 128, 199] {
            var h = SHA1()
            h.update(Array(data[0..<split]))
            h.update(Array(data[split...]))
            XCTAssertEqual(h.finalize(), expected, "split at \(split)")
        }
    }

    func testWebSocketAcceptKeyFromRFC6455() {
        let key = "dGhlIHNhbXBsZSBub25jZQ==" + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        XCTAssertEqual(Base64.encode(SHA1.hash(Array(key.utf8))), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
