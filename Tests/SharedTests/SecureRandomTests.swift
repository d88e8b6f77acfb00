import XCTest
@testable import Shared

final class SecureRandomTests: XCTestCase {
    func testLengths() {
        XCTAssertEqual(SecureRandom.bytes(0), [])
        XCTAssertEqual(SecureRandom.bytes(-3), [])
        XCTAssertEqual(SecureRandom.bytes(1).count, 1)
        XCTAssertEqual(SecureRandom.bytes(70_000).count, 70_000)
    }

    func testHexIsLowercaseOfTwiceTheLength() {
        let h = SecureRandom.hex(12)
        XCTAssertEqual(h.count, 24)
        XCTAssertTrue(h.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
    }

    func testOutputsDifferAndCoverManyByteValues() {
        // Two 32-byte draws collide with probability 2^-256; 4096 bytes miss a given value with
        // probability (255/256)^4096 ≈ 1e-7, so fewer than 200 distinct values means a broken source.
        XCTAssertNotEqual(SecureRandom.bytes(32), SecureRandom.bytes(32))
        XCTAssertGreaterThan(Set(SecureRandom.bytes(4096)).count, 200)
    }

    func testFillLeavesNoTrailingZeroRun() {
        // A partial fill would leave the tail of a large buffer zeroed.
        let big = SecureRandom.bytes(1 << 20)
        XCTAssertNotEqual(Array(big.suffix(64)), [UInt8](repeating: 0, count: 64))
    }
}
