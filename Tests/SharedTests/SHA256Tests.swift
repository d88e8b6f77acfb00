import XCTest
@testable import Shared

/// FIPS 180-2 / NIST CAVP example vectors for SHA-256.
final class SHA256Tests: XCTestCase {
    private func hex(_ s: String) -> String { Hex.encode(SHA256.hash(Array(s.utf8))) }

    func testABC() {
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testEmpty() {
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func test448BitMessage() {
        XCTAssertEqual(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func test896BitMessage() {
        let m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        XCTAssertEqual(hex(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testOneMillionA() {
        XCTAssertEqual(Hex.encode(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testIncrementalMatchesOneShotAtEveryBlockBoundarySplit() {
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let expected = SHA256.hash(data)
        for split in [0, 1, 55, 56, 63, 64, 65, 127, 128, 200, 300] {
            var h = SHA256()
            h.update(Array(data[0..<split]))
            h.update(Array(data[split...]))
            XCTAssertEqual(h.finalize(), expected, "split at \(split)")
        }
        var bytewise = SHA256()
        for b in data { bytewise.update([b]) }
        XCTAssertEqual(bytewise.finalize(), expected)
    }

    func testPaddingLengthsAroundTheLengthField() {
        // 55 bytes fit one padded block, 56 need two; both against published digests of 'a'*n.
        XCTAssertEqual(Hex.encode(SHA256.hash([UInt8](repeating: 0x61, count: 55))),
                       "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(Hex.encode(SHA256.hash([UInt8](repeating: 0x61, count: 56))),
                       "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }
}
