/// Tests of close-frame parsing (RFC 6455 §5.5.1, §7.4; Autobahn 7.x) and of text-message UTF-8
/// validation in the decoder, including fail-fast on fragments and inside one frame (Autobahn 6.4.x).
import XCTest
@testable import api_gateway

final class WebSocketCloseAndUTF8Tests: XCTestCase {
    private func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
    }

    func testEmptyCloseAndCloseWithReason() {
        assertDecodes(clientFrame(0x8, []), [.close(code: nil, reason: "")])
        assertDecodes(clientFrame(0x8, closePayload(1000, Array("bye ✓".utf8))), [.close(code: 1000, reason: "bye ✓")])
    }

    func testOneByteClosePayload() {
        assertDecodes(clientFrame(0x8, [0x03]), [.protocolError(code: 1002, reason: "close payload of one byte")])
    }

    func testValidCloseCodes() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            XCTAssertTrue(WebSocketCloseCode.isValidReceived(code), "\(code)")
            assertDecodes(clientFrame(0x8, closePayload(code)), [.close(code: code, reason: "")])
        }
    }

    func testInvalidCloseCodes() {
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            XCTAssertFalse(WebSocketCloseCode.isValidReceived(code), "\(code)")
            assertDecodes(clientFrame(0x8, closePayload(code)), [.protocolError(code: 1002, reason: "invalid close code")])
        }
    }

    func testInvalidUTF8CloseReason() {
        let bad: [UInt8] = [0xce, 0xba, 0xed, 0xa0, 0x80, 0x65]
        assertDecodes(clientFrame(0x8, closePayload(1000, bad)), [.protocolError(code: 1007, reason: "invalid UTF-8 in close reason")])
    }

    func testInputAfterCloseIsIgnored() {
        var d = WebSocketFrameDecoder()
        let events = d.feed(clientFrame(0x8, closePayload(1001)) + clientFrame(0x1, Array("late".utf8)))
        XCTAssertEqual(events, [.close(code: 1001, reason: "")])
        XCTAssertTrue(d.isFinished)
        XCTAssertEqual(d.feed(clientFrame(0x9, [])), [])
    }

    func testCloseInsideFragmentedMessage() {
        let stream = clientFrame(0x1, Array("Hel".utf8), fin: false) + clientFrame(0x8, closePayload(1000))
        assertDecodes(stream, [.close(code: 1000, reason: "")])
    }

    func testInvalidUTF8InSingleFrameText() {
        let bad: [UInt8] = [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64]
        assertDecodes(clientFrame(0x1, bad), [.protocolError(code: 1007, reason: "invalid UTF-8 in text message")])
    }

    func testBinaryMessagesAreNotValidated() {
        assertDecodes(clientFrame(0x2, [0xff, 0xfe]), [.binary([0xff, 0xfe])])
    }

    func testCharacterSplitAcrossFragmentsIsValid() {
        let euro = Array("€".utf8)   // E2 82 AC
        let stream = clientFrame(0x1, [euro[0]], fin: false) + clientFrame(0x0, [euro[1]], fin: false) +
            clientFrame(0x0, [euro[2]])
        assertDecodes(stream, [.text("€")])
    }

    func testTextEndingInsideACharacter() {
        assertDecodes(clientFrame(0x1, [0x61, 0xE2, 0x82]),
                      [.protocolError(code: 1007, reason: "text message ends inside a character")])
    }

    func testFragmentedTextFailsFastAtTheBadFragment() {
        var d = WebSocketFrameDecoder()
        XCTAssertEqual(d.feed(clientFrame(0x1, Array("κόσμε".utf8), fin: false)), [])
        XCTAssertEqual(d.feed(clientFrame(0x0, [0xed, 0xa0, 0x80], fin: false)),
                       [.protocolError(code: 1007, reason: "invalid UTF-8 in text message")])
    }

    func testTextFailsFastInsideOneFrame() {
        let payload = Array("valid start ".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("never looked at".utf8)
        let frame = clientFrame(0x1, payload)
        var d = WebSocketFrameDecoder()
        let invalidEnd = frame.count - 15
        XCTAssertEqual(d.feed(Array(frame[0..<(invalidEnd - 5)])), [])
        XCTAssertEqual(d.feed(Array(frame[(invalidEnd - 5)..<invalidEnd])),
                       [.protocolError(code: 1007, reason: "invalid UTF-8 in text message")])
    }

    func testNamedCloseCodes() {
        XCTAssertEqual(WebSocketCloseCode.normal, 1000)
        XCTAssertEqual(WebSocketCloseCode.goingAway, 1001)
        XCTAssertEqual(WebSocketCloseCode.protocolError, 1002)
        XCTAssertEqual(WebSocketCloseCode.unsupportedData, 1003)
        XCTAssertEqual(WebSocketCloseCode.invalidPayload, 1007)
        XCTAssertEqual(WebSocketCloseCode.policyViolation, 1008)
        XCTAssertEqual(WebSocketCloseCode.messageTooBig, 1009)
        XCTAssertEqual(WebSocketCloseCode.internalError, 1011)
        XCTAssertEqual(WebSocketCloseCode.firstApplicationCode, 3000)
        XCTAssertEqual(WebSocketCloseCode.lastApplicationCode, 4999)
    }
}
