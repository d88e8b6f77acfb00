import XCTest
@testable import Shared

/// RFC 4231 (HMAC-SHA256) test cases 1–7 and RFC 2202 (HMAC-SHA1) test cases 1–7.
final class HMACTests: XCTestCase {
    private func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }
    private func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    private let longKey = [UInt8](repeating: 0xaa, count: 131)
    private let largerThanBlockKeyMessage = "Test Using Larger Than Block-Size Key - Hash Key First"
    private let largerThanBlockDataMessage = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."

    func testRFC4231Case1() {
        let mac = HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: ascii("Hi There"))
        XCTAssertEqual(Hex.encode(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    func testRFC4231Case2() {
        let mac = HMAC.sha256(key: ascii("Jefe"), message: ascii("what do ya want for nothing?"))
        XCTAssertEqual(Hex.encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testRFC4231Case3() {
        let mac = HMAC.sha256(key: [UInt8](repeating: 0xaa, count: 20), message: [UInt8](repeating: 0xdd, count: 50))
        XCTAssertEqual(Hex.encode(mac), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    func testRFC4231Case4() {
        let mac = HMAC.sha256(key: bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                              message: [UInt8](repeating: 0xcd, count: 50))
        XCTAssertEqual(Hex.encode(mac), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    func testRFC4231Case5TruncatedTo128Bits() {
        let mac = HMAC.sha256(key: [UInt8](repeating: 0x0c, count: 20), message: ascii("Test With Truncation"))
        XCTAssertEqual(Hex.encode(Array(mac.prefix(16))), "a3b6167473100ee06e0c796c2955552b")
    }

    func testRFC4231Case6KeyLongerThanBlock() {
        let mac = HMAC.sha256(key: longKey, message: ascii(largerThanBlockKeyMessage))
        XCTAssertEqual(Hex.encode(mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testRFC4231Case7KeyAndDataLongerThanBlock() {
        let mac = HMAC.sha256(key: longKey, message: ascii(largerThanBlockDataMessage))
        XCTAssertEqual(Hex.encode(mac), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    func testRFC2202SHA1Cases() {
        let cases: [([UInt8], [UInt8], String)] = [
            ([UInt8](repeating: 0x0b, count: 20), ascii("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"),
            (ascii("Jefe"), ascii("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
            (bytes("0102030405060708090a0b0c0d0e0f10111213141516171819"), [UInt8](repeating: 0xcd, count: 50),
             "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
            ([UInt8](repeating: 0xaa, count: 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
             "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
            ([UInt8](repeating: 0xaa, count: 80),
             ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
             "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
        ]
        for (key, message, expected) in cases {
            XCTAssertEqual(Hex.encode(HMAC.sha1(key: key, message: message)), expected)
        }
        let truncated = HMAC.sha1(key: [UInt8](repeating: 0x0c, count: 20), message: ascii("Test With Truncation"))
        XCTAssertEqual(Hex.encode(Array(truncated.prefix(12))), "4c1a03424b55e07fe7f27be1")
    }

    func testKeyOfExactlyOneBlockIsUsedAsIs() {
        let key = [UInt8](repeating: 0x42, count: 64)
        XCTAssertNotEqual(HMAC.sha256(key: key, message: [1]), HMAC.sha256(key: SHA256.hash(key), message: [1]))
    }
}

final class ConstantTimeTests: XCTestCase {
    func testEquals() {
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        XCTAssertTrue(ConstantTime.equals([], []))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equals("secret", "secret"))
        XCTAssertFalse(ConstantTime.equals("secret", "Secret"))
    }
}
