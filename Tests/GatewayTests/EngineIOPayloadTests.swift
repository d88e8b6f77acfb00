/// Tests of `EngineIOPayload` (polling bodies): joining and splitting on `\x1e`, binary records,
/// the size cap, and malformed bodies.
import XCTest
@testable import api_gateway

final class EngineIOPayloadTests: XCTestCase {
    func testEncodeJoinsWithRecordSeparator() {
        let body = EngineIOPayload.encode([.message("hello"), .ping, EngineIOPacket(binaryMessage: [1, 2, 3])])
        XCTAssertEqual(body, Array("4hello\u{1e}2\u{1e}bAQID".utf8))
        XCTAssertEqual(EngineIOPayload.encode([.message("x")]), Array("4x".utf8))
        XCTAssertEqual(EngineIOPayload.encode([]), [])
    }

    func testDecodeSplitsRecords() throws {
        let packets = try EngineIOPayload.decode(Array("4hello\u{1e}2\u{1e}bAQID\u{1e}40".utf8))
        XCTAssertEqual(packets, [.message("hello"), .ping, EngineIOPacket(binaryMessage: [1, 2, 3]), .message("0")])
        XCTAssertEqual(try EngineIOPayload.decode(Array("1".utf8)), [.close])
    }

    func testRoundTrip() throws {
        let packets: [EngineIOPacket] = [EngineIOPacket(.open, "{\"sid\":\"x\"}"), .message("2[\"ev\",\"ñ\"]"),
                                         EngineIOPacket(binaryMessage: Array(0...255)), .noop]
        XCTAssertEqual(try EngineIOPayload.decode(EngineIOPayload.encode(packets)), packets)
    }

    func testMalformedBodies() {
        let cases: [(String, EngineIODecodeError)] = [
            ("", .emptyPacket), ("4a\u{1e}", .emptyPacket), ("\u{1e}4a", .emptyPacket),
            ("4a\u{1e}\u{1e}4b", .emptyPacket), ("4a\u{1e}9", .unknownPacketType(UInt8(ascii: "9"))),
            ("b@@@@", .invalidBase64),
        ]
        for (body, error) in cases {
            XCTAssertThrowsError(try EngineIOPayload.decode(Array(body.utf8)), body.debugDescription) {
                XCTAssertEqual($0 as? EngineIODecodeError, error)
            }
        }
    }

    func testSizeCap() throws {
        let exact = [UInt8(ascii: "4")] + [UInt8](repeating: 0x61, count: EngineIOLimits.defaultMaxPayloadBytes - 1)
        XCTAssertEqual(try EngineIOPayload.decode(exact).count, 1)
        XCTAssertThrowsError(try EngineIOPayload.decode(exact + [0x61])) {
            XCTAssertEqual($0 as? EngineIODecodeError, .payloadTooLarge(EngineIOLimits.defaultMaxPayloadBytes + 1))
        }
        XCTAssertThrowsError(try EngineIOPayload.decode(Array("4abc".utf8), maxBytes: 3))
    }
}
