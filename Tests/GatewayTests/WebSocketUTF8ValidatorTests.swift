/// Tests of `UTF8Validator`: boundary code points, every class of invalid sequence, incremental
/// feeding split at every position, and agreement with the standard library on random bytes.
import XCTest
import Shared
@testable import api_gateway

final class WebSocketUTF8ValidatorTests: XCTestCase {
    private let valid: [[UInt8]] = [
        [], Array("plain ascii text, longer than eight bytes".utf8),
        [0x7F], [0xC2, 0x80], [0xDF, 0xBF],              // U+007F, U+0080, U+07FF
        [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],          // U+0800, U+D7FF
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],          // U+E000, U+FFFF
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], // U+10000, U+10FFFF
        Array("κόσμε – Hello-µ@ßöäüàá-UTF-8!! 🎉".utf8),
    ]

    private let invalid: [[UInt8]] = [
        [0x80], [0xBF], [0x61, 0x80],                    // stray continuation bytes
        [0xC0, 0x80], [0xC1, 0xBF],                      // overlong 2-byte
        [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],          // overlong 3-byte
        [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], // overlong 4-byte
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],          // surrogates
        [0xF4, 0x90, 0x80, 0x80], [0xF7, 0xBF, 0xBF, 0xBF], // above U+10FFFF
        [0xF5], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        [0xC2, 0x41], [0xE1, 0x80, 0x41], [0xF1, 0x80, 0x80, 0x41], // cut short by ASCII
        [0xC2], [0xE1, 0x80], [0xF1, 0x80, 0x80],        // truncated at end
        Array("0123456789abcdef".utf8) + [0xFF] + Array("0123456789".utf8), // inside a fast-path run
    ]

    func testValidSequences() {
        for v in valid { XCTAssertTrue(UTF8Validator.isValid(v), "\(v)") }
    }

    func testInvalidSequences() {
        for v in invalid { XCTAssertFalse(UTF8Validator.isValid(v), "\(v)") }
    }

    func testIncrementalAtEverySplit() {
        for v in valid {
            for cut in 0...v.count {
                var validator = UTF8Validator()
                XCTAssertTrue(validator.validate(Array(v[0..<cut])))
                XCTAssertTrue(validator.validate(Array(v[cut...])))
                XCTAssertTrue(validator.isAtBoundary)
            }
        }
        for v in invalid {
            for cut in 0...v.count {
                var validator = UTF8Validator()
                let ok = validator.validate(Array(v[0..<cut])) && validator.validate(Array(v[cut...]))
                XCTAssertFalse(ok && validator.isAtBoundary, "\(v) split at \(cut)")
            }
        }
    }

    func testPartialCharacterIsNotABoundary() {
        var validator = UTF8Validator()
        XCTAssertTrue(validator.validate([0xF0, 0x9F]))
        XCTAssertFalse(validator.isAtBoundary)
        XCTAssertTrue(validator.validate([0x8E, 0x89]))
        XCTAssertTrue(validator.isAtBoundary)
        XCTAssertTrue(validator.validate([0xE2]))
        validator.reset()
        XCTAssertTrue(validator.isAtBoundary)
        XCTAssertFalse(validator.validate([0x82]), "after reset a continuation byte is stray")
    }

    func testAgreesWithStandardLibraryOnRandomBytes() {
        var rng = SeededRandom(seed: 6455)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...12, using: &rng)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(UTF8Validator.isValid(bytes), expected, "\(bytes)")
        }
    }
}
