/// Pins every named WebSocket limit, so a change to one is a deliberate, visible change.
import XCTest
@testable import api_gateway

final class WebSocketLimitsTests: XCTestCase {
    func testNamedLimits() {
        XCTAssertEqual(WebSocketLimits.defaultMaxFramePayload, 1_048_576)
        XCTAssertEqual(WebSocketLimits.defaultMaxMessage, 1_048_576)
        XCTAssertEqual(WebSocketLimits.maxControlPayload, 125)
        XCTAssertEqual(WebSocketLimits.maxCloseReason, 123)
        XCTAssertEqual(WebSocketLimits.maxHeaderBytes, 14)
        XCTAssertEqual(WebSocketLimits.handshakeNonceBytes, 16)
        XCTAssertEqual(WebSocketLimits.protocolVersion, "13")
        XCTAssertEqual(WebSocketLimits.default.maxFramePayload, WebSocketLimits.defaultMaxFramePayload)
        XCTAssertEqual(WebSocketLimits.default.maxMessage, WebSocketLimits.defaultMaxMessage)
    }

    func testFramePayloadCapNeverBelowControlPayload() {
        XCTAssertEqual(WebSocketLimits(maxFramePayload: 0, maxMessage: 0).maxFramePayload, 125)
    }

    func testMessageOfExactlyTheLimitIsAccepted() {
        let limits = WebSocketLimits(maxFramePayload: 130, maxMessage: 260)
        let part = [UInt8](repeating: 0x61, count: 130)
        assertDecodes(clientFrame(0x1, part, fin: false) + clientFrame(0x0, part),
                      [.text(String(repeating: "a", count: 260))], limits: limits)
    }
}
