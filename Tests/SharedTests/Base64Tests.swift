import XCTest
@testable import Shared

/// RFC 4648 §10 vectors, strict decoding, base64url (JWT) rules, and hex.
final class Base64Tests: XCTestCase {
    private let rfcVectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    func testRFC4648EncodeAndDecode() {
        for (plain, encoded) in rfcVectors {
            XCTAssertEqual(Base64.encode(Array(plain.utf8)), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8), encoded)
        }
    }

    func testStandardDecodeIsStrict() {
        let rejected = ["Zg", "Zg=", "Zm9v\n", " Zm9v", "Zm9v====", "Z===", "Zm=v", "Zh==", "Zm9=",
                        "Zm9vYg=", "Zm_v", "Zm-v", "=Zm9", "Zm9v!A==", "Zg==Zg=="]
        for text in rejected { XCTAssertNil(Base64.decode(text), text) }
    }

    func testAllByteValuesRoundTrip() {
        let all = (0...255).map { UInt8($0) }
        for n in [0, 1, 2, 3, 254, 255, 256] {
            let slice = Array(all.prefix(n))
            XCTAssertEqual(Base64.decode(Base64.encode(slice)), slice)
            XCTAssertEqual(Base64URL.decode(Base64URL.encode(slice)), slice)
        }
        XCTAssertTrue(Base64.encode([0xfb, 0xff]).contains("+"))
        XCTAssertTrue(Base64.encode([0xff, 0xff]).contains("/"))
    }

    func testBase64URLHasNoPaddingAndUsesURLAlphabet() {
        XCTAssertEqual(Base64URL.encode(Array("f".utf8)), "Zg")
        XCTAssertEqual(Base64URL.encode(Array("fo".utf8)), "Zm8")
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff, 0xbf]), "-_-_")
        XCTAssertEqual(Base64URL.encode([0x3e, 0x3f]), "Pj8")
    }

    func testBase64URLDecodeAcceptsMissingOrCorrectPadding() {
        XCTAssertEqual(Base64URL.decode("Zg"), Array("f".utf8))
        XCTAssertEqual(Base64URL.decode("Zg=="), Array("f".utf8))
        XCTAssertEqual(Base64URL.decode("Zm8"), Array("fo".utf8))
        XCTAssertEqual(Base64URL.decode("Zm8="), Array("fo".utf8))
        XCTAssertEqual(Base64URL.decode("-_-_"), [0xfb, 0xff, 0xbf])
        XCTAssertEqual(Base64URL.decode(""), [])
    }

    func testBase64URLDecodeRejectsBadInput() {
        let rejected = ["Zm9v+A", "Zm9v/A", "Z", "Zm9vY", "Zg=", "Zg===", "Zm8==", "Zm 8", "Zm8.", "Zh", "Zm9"]
        for text in rejected { XCTAssertNil(Base64URL.decode(text), text) }
    }

    func testHexRoundTripAndRejects() {
        XCTAssertEqual(Hex.encode([0x00, 0x0f, 0xa0, 0xff]), "000fa0ff")
        XCTAssertEqual(Hex.decode("000FA0ff"), [0x00, 0x0f, 0xa0, 0xff])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }
}
