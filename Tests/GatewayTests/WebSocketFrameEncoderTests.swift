/// Tests of `WebSocketFrameEncoder` against the unmasked RFC 6455 §5.7 examples, the length-encoding
/// boundaries, control-payload truncation, and a round trip through the decoder.
import XCTest
@testable import api_gateway

final class WebSocketFrameEncoderTests: XCTestCase {
    func testRFCExamples() {
        XCTAssertEqual(WebSocketFrameEncoder.text("Hello"), [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        XCTAssertEqual(WebSocketFrameEncoder.ping(Array("Hello".utf8)), [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        XCTAssertEqual(WebSocketFrameEncoder.pong(Array("Hello".utf8)), [0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        let b256 = WebSocketFrameEncoder.binary([UInt8](repeating: 7, count: 256))
        XCTAssertEqual(Array(b256[0..<4]), [0x82, 0x7E, 0x01, 0x00])
        XCTAssertEqual(b256.count, 260)
        let b64k = WebSocketFrameEncoder.binary([UInt8](repeating: 7, count: 65536))
        XCTAssertEqual(Array(b64k[0..<10]), [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
        XCTAssertEqual(b64k.count, 65546)
    }

    func testLengthEncodingBoundaries() {
        func header(_ n: Int) -> [UInt8] {
            var out: [UInt8] = []
            WebSocketFrameEncoder.appendHeader(opcode: .binary, length: n, into: &out)
            return out
        }
        XCTAssertEqual(header(125), [0x82, 125])
        XCTAssertEqual(header(126), [0x82, 126, 0, 126])
        XCTAssertEqual(header(65535), [0x82, 126, 0xFF, 0xFF])
        XCTAssertEqual(header(65536), [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0])
        var out: [UInt8] = []
        WebSocketFrameEncoder.appendHeader(opcode: .text, length: 3, fin: false, into: &out)
        XCTAssertEqual(out, [0x01, 3])
    }

    func testClose() {
        XCTAssertEqual(WebSocketFrameEncoder.close(code: nil), [0x88, 0x00])
        XCTAssertEqual(WebSocketFrameEncoder.close(code: 1000), [0x88, 0x02, 0x03, 0xE8])
        XCTAssertEqual(WebSocketFrameEncoder.close(code: 1002, reason: "bad"), [0x88, 0x05, 0x03, 0xEA, 0x62, 0x61, 0x64])
    }

    func testCloseReasonIsCutAtACharacterBoundary() {
        let reason = String(repeating: "a", count: 122) + "€€"
        let frame = WebSocketFrameEncoder.close(code: 1000, reason: reason)
        XCTAssertEqual(Int(frame[1]), 2 + 122, "a 3-byte character that would not fit is dropped whole")
        XCTAssertEqual(WebSocketFrameEncoder.truncatedUTF8("ab€", maxBytes: 4), Array("ab".utf8))
        XCTAssertEqual(WebSocketFrameEncoder.truncatedUTF8("ab€", maxBytes: 5), Array("ab€".utf8))
    }

    func testControlPayloadIsTruncatedTo125() {
        let frame = WebSocketFrameEncoder.ping([UInt8](repeating: 1, count: 300))
        XCTAssertEqual(frame.count, 2 + WebSocketLimits.maxControlPayload)
        XCTAssertEqual(frame[1], 125)
    }

    /// Server frames are unmasked; mask them as a client would and feed them back.
    func testRoundTripThroughDecoder() {
        for (frame, expected) in [(WebSocketFrameEncoder.text("héllo"), WebSocketEvent.text("héllo")),
                                  (WebSocketFrameEncoder.binary([0, 255]), .binary([0, 255])),
                                  (WebSocketFrameEncoder.close(code: 4000, reason: "x"), .close(code: 4000, reason: "x"))] {
            let payload = Array(frame[2...])
            var d = WebSocketFrameDecoder()
            XCTAssertEqual(d.feed(clientFrame(frame[0] & 0x0F, payload)), [expected])
        }
    }
}
