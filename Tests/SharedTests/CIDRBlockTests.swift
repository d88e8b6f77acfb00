import XCTest
@testable import Shared

final class CIDRBlockTests: XCTestCase {
    func testContainment() {
        let cases: [(String, String, Bool)] = [
            ("10.0.0.0/8", "10.200.3.4", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("192.168.1.7", "192.168.1.7", true),
            ("192.168.1.7", "192.168.1.8", false),
            ("192.168.1.77/26", "192.168.1.64", true),
            ("192.168.1.77/26", "192.168.1.128", false),
            ("0.0.0.0/0", "8.8.8.8", true),
            ("0.0.0.0/0", "::1", false),
            ("fd00::/8", "fd12:3456::1", true),
            ("fd00::/8", "fe80::1", false),
            ("10.0.0.0/8", "::ffff:10.1.2.3", true),
            ("::1/128", "::1", true),
            ("127.0.0.0/8", "127.9.9.9", true),
            ("10.0.0.0/8", "not-an-ip", false),
        ]
        for (block, address, expected) in cases {
            XCTAssertEqual(CIDRBlock(block)?.contains(address), expected, "\(block) ∋ \(address)")
        }
    }

    func testInvalidBlocks() {
        for text in ["", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "fd00::/129", "10.0.0.0/8/1", "example.com", "10.0.0.0/ 8"] {
            XCTAssertNil(CIDRBlock(text), text)
        }
    }

    func testNetworkBitsAreCleared() {
        XCTAssertEqual(CIDRBlock("192.168.1.77/24")?.description, "192.168.1.0/24")
        XCTAssertEqual(CIDRBlock("fd00::1/8")?.description, "fd00::/8")
    }

    func testMetricsAllowConfiguration() throws {
        let base = ["STATE_DIRECTORY": "/tmp/x"]
        XCTAssertEqual(try Config.load(environment: base).metricsAllow, [])
        let config = try Config.load(environment: base.merging(["IBRAT_METRICS_ALLOW": " 10.0.0.0/8, fd00::/8 "]) { $1 })
        XCTAssertEqual(config.metricsAllow.map(\.description), ["10.0.0.0/8", "fd00::/8"])
        XCTAssertThrowsError(try Config.load(environment: base.merging(["IBRAT_METRICS_ALLOW": "10.0.0.0/40"]) { $1 })) { error in
            XCTAssertTrue("\(error)".hasPrefix("IBRAT_METRICS_ALLOW:"), "\(error)")
        }
    }
}
