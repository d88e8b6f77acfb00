/// Tests of `EngineIOPacket`: every type digit, the WebSocket and polling forms, the upgrade
/// probe trace from reference/socketio-and-clients.md, and malformed packets.
import XCTest
@testable import api_gateway

final class EngineIOPacketTests: XCTestCase {
    func testTypeDigits() {
        XCTAssertEqual(EngineIOPacketType.allCases.map { Int($0.rawValue) }, [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(EngineIOPacketType.allCases.map(\.digit), Array("0123456".utf8))
        XCTAssertEqual(EngineIOPacketType.open.rawValue, 0)
        XCTAssertEqual(EngineIOPacketType.noop.rawValue, 6)
    }

    func testDecodeWebSocketText() throws {
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "4hello"), .message("hello"))
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "2probe"), .probePing)
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "3"), .pong)
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "5"), .upgrade)
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "1"), .close)
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "6"), .noop)
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "4"), .message(""))
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "42[\"a\",\"ü\"]").text, "2[\"a\",\"ü\"]")
    }

    func testUpgradeTrace() throws {
        // >> '2probe'  << '3probe'  >> '5'  >> '420["authenticate",...]'  << '6'
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "2probe"), EngineIOPacket(.ping, "probe"))
        XCTAssertEqual(EngineIOPacket.probePong.webSocketFrame, .text("3probe"))
        XCTAssertEqual(try EngineIOPacket.decode(webSocketText: "5").type, .upgrade)
        let event = try EngineIOPacket.decode(webSocketText: "420[\"authenticate\",{\"token\":\"t\"}]")
        XCTAssertEqual(event, .message("20[\"authenticate\",{\"token\":\"t\"}]"))
        XCTAssertEqual(EngineIOPayload.encode([.noop]), Array("6".utf8))
    }

    func testEncodeWebSocket() {
        XCTAssertEqual(EngineIOPacket.message("hello").webSocketFrame, .text("4hello"))
        XCTAssertEqual(EngineIOPacket.ping.webSocketFrame, .text("2"))
        XCTAssertEqual(EngineIOPacket(binaryMessage: [1, 2, 3]).webSocketFrame, .binary([1, 2, 3]))
        XCTAssertEqual(EngineIOPacket.decode(webSocketBinary: [9]), EngineIOPacket(binaryMessage: [9]))
    }

    func testMalformedWebSocketText() {
        XCTAssertThrowsError(try EngineIOPacket.decode(webSocketText: "")) {
            XCTAssertEqual($0 as? EngineIODecodeError, .emptyPacket)
        }
        for bad in ["7", "9x", "x", " 4", "/", "bAQI="] {
            XCTAssertThrowsError(try EngineIOPacket.decode(webSocketText: bad), bad) {
                XCTAssertEqual($0 as? EngineIODecodeError, .unknownPacketType(Array(bad.utf8)[0]))
            }
        }
    }

    func testPollingRecords() throws {
        func decode(_ bytes: [UInt8]) throws -> EngineIOPacket {
            try bytes.withUnsafeBytes { try EngineIOPacket.decode(pollingRecord: $0) }
        }
        XCTAssertEqual(try decode(Array("4hello".utf8)), .message("hello"))
        XCTAssertEqual(try decode(Array("bAQID".utf8)), EngineIOPacket(binaryMessage: [1, 2, 3]))
        XCTAssertEqual(try decode(Array("b".utf8)), EngineIOPacket(binaryMessage: []))
        XCTAssertThrowsError(try decode(Array("bAQI".utf8))) { XCTAssertEqual($0 as? EngineIODecodeError, .invalidBase64) }
        XCTAssertThrowsError(try decode(Array("b!!!!".utf8))) { XCTAssertEqual($0 as? EngineIODecodeError, .invalidBase64) }
        XCTAssertThrowsError(try decode([UInt8(ascii: "4"), 0xC3])) { XCTAssertEqual($0 as? EngineIODecodeError, .invalidUTF8) }
        XCTAssertThrowsError(try decode([])) { XCTAssertEqual($0 as? EngineIODecodeError, .emptyPacket) }
    }

    func testEncodePolling() {
        var out: [UInt8] = []
        EngineIOPacket(binaryMessage: [1, 2, 3]).encodePolling(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "bAQID")
        out = []
        EngineIOPacket.message("hi").encodePolling(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "4hi")
    }

    func testNamedConstants() {
        XCTAssertEqual(EngineIOLimits.protocolVersion, "4")
        XCTAssertEqual(EngineIOLimits.defaultPingIntervalMillis, 25_000)
        XCTAssertEqual(EngineIOLimits.defaultPingTimeoutMillis, 20_000)
        XCTAssertEqual(EngineIOLimits.defaultMaxPayloadBytes, 1_000_000)
        XCTAssertEqual(EngineIOLimits.recordSeparator, 0x1E)
        XCTAssertEqual(EngineIOLimits.base64Prefix, UInt8(ascii: "b"))
        XCTAssertEqual(EngineIOLimits.probe, "probe")
    }
}
