/// Tests of `WebSocketFrameDecoder`: RFC 6455 §5.7 examples and every header, fragmentation and size
/// rule, each fed whole, byte by byte and split in two at every position. Also holds the client
/// frame builder the other WebSocket test files use.
import XCTest
@testable import api_gateway

/// Builds a client-to-server frame (masked unless told otherwise).
func clientFrame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0,
                 masked: Bool = true, mask: [UInt8] = [0x37, 0xfa, 0x21, 0x3d],
                 announcedLength: UInt64? = nil) -> [UInt8] {
    var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
    let length = announcedLength ?? UInt64(payload.count)
    let maskBit: UInt8 = masked ? 0x80 : 0
    if length <= 125 {
        out.append(maskBit | UInt8(length))
    } else if length <= 0xFFFF {
        out += [maskBit | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
    } else {
        out.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((length >> UInt64(shift)) & 0xFF)) }
    }
    if masked {
        out += mask
        for (i, b) in payload.enumerated() { out.append(b ^ mask[i % 4]) }
    } else {
        out += payload
    }
    return out
}

/// Feeds `stream` whole, byte by byte and split at every position (streams up to 4 KiB), and checks
/// each way yields `expected`.
func assertDecodes(_ stream: [UInt8], _ expected: [WebSocketEvent], limits: WebSocketLimits = .default,
                   file: StaticString = #filePath, line: UInt = #line) {
    var whole = WebSocketFrameDecoder(limits: limits)
    XCTAssertEqual(whole.feed(stream), expected, "whole", file: file, line: line)

    var bytewise = WebSocketFrameDecoder(limits: limits)
    var events: [WebSocketEvent] = []
    for b in stream { events += bytewise.feed([b]) }
    XCTAssertEqual(events, expected, "byte by byte", file: file, line: line)

    guard stream.count <= 4096 else { return }
    for cut in 0...stream.count {
        var split = WebSocketFrameDecoder(limits: limits)
        let got = split.feed(Array(stream[0..<cut])) + split.feed(Array(stream[cut...]))
        if got != expected {
            XCTFail("split at \(cut): \(got)", file: file, line: line)
            return
        }
    }
}

final class WebSocketFrameDecoderTests: XCTestCase {
    private let hello = Array("Hello".utf8)

    func testRFCMaskedHelloExample() {
        assertDecodes([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58], [.text("Hello")])
    }

    func testRFCUnmaskedHelloIsProtocolErrorOnServer() {
        assertDecodes([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f],
                      [.protocolError(code: 1002, reason: "client frame not masked")])
    }

    func testRFCFragmentedHello() {
        let stream = clientFrame(0x1, Array("Hel".utf8), fin: false) + clientFrame(0x0, Array("lo".utf8))
        assertDecodes(stream, [.text("Hello")])
    }

    func testRFCMaskedPongExampleAndPing() {
        assertDecodes([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58], [.pong(hello)])
        assertDecodes(clientFrame(0x9, hello), [.ping(hello)])
    }

    func testRFC256ByteAnd64KiBBinaryExamples() {
        let b256 = (0..<256).map { UInt8($0 & 0xFF) }
        let f256 = clientFrame(0x2, b256)
        XCTAssertEqual(Array(f256[0..<4]), [0x82, 0xFE, 0x01, 0x00])
        assertDecodes(f256, [.binary(b256)])
        let b64k = (0..<65536).map { UInt8(($0 * 7) & 0xFF) }
        let f64k = clientFrame(0x2, b64k)
        XCTAssertEqual(Array(f64k[0..<10]), [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0])
        assertDecodes(f64k, [.binary(b64k)])
    }

    func testEmptyMessagesAndEmptyFragments() {
        assertDecodes(clientFrame(0x1, []), [.text("")])
        assertDecodes(clientFrame(0x2, []), [.binary([])])
        let stream = clientFrame(0x1, [], fin: false) + clientFrame(0x0, [], fin: false) + clientFrame(0x0, [])
        assertDecodes(stream, [.text("")])
    }

    func testSeveralFramesInOneChunk() {
        let stream = clientFrame(0x1, Array("a".utf8)) + clientFrame(0x9, [1]) + clientFrame(0x2, [2, 3])
        assertDecodes(stream, [.text("a"), .ping([1]), .binary([2, 3])])
    }

    func testControlFramesInterleaveFragments() {
        let stream = clientFrame(0x2, [1], fin: false) + clientFrame(0x9, [9]) +
            clientFrame(0x0, [2], fin: false) + clientFrame(0xA, []) + clientFrame(0x0, [3])
        assertDecodes(stream, [.ping([9]), .pong([]), .binary([1, 2, 3])])
    }

    func testReservedBitsAreProtocolErrors() {
        for rsv: UInt8 in [1, 2, 4, 7] {
            assertDecodes(clientFrame(0x1, hello, rsv: rsv), [.protocolError(code: 1002, reason: "reserved bits set")])
        }
    }

    func testUnknownOpcodesAreProtocolErrors() {
        for op: UInt8 in [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] {
            assertDecodes(clientFrame(op, hello), [.protocolError(code: 1002, reason: "unknown opcode")])
        }
    }

    func testFragmentedControlFrameIsProtocolError() {
        for op: UInt8 in [0x8, 0x9, 0xA] {
            assertDecodes(clientFrame(op, [], fin: false), [.protocolError(code: 1002, reason: "fragmented control frame")])
        }
    }

    func testControlPayloadLimit() {
        let max = [UInt8](repeating: 0x61, count: WebSocketLimits.maxControlPayload)
        assertDecodes(clientFrame(0x9, max), [.ping(max)])
        assertDecodes(clientFrame(0x9, max + [0x61]), [.protocolError(code: 1002, reason: "control frame too long")])
    }

    func testErrorsAreReportedFromTheFixedHeaderBytes() {
        var d = WebSocketFrameDecoder()
        XCTAssertEqual(d.feed([0x81, 0x05]), [.protocolError(code: 1002, reason: "client frame not masked")])
        XCTAssertTrue(d.isFinished)
        XCTAssertEqual(d.feed(clientFrame(0x1, hello)), [], "input after a failure is ignored")
    }

    func testSixtyFourBitLengthWithMSBSet() {
        let header: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]
        assertDecodes(header, [.protocolError(code: 1002, reason: "64-bit length with MSB set")])
    }

    func testOversizeFrameFailsFromTheHeaderAlone() {
        let over = UInt64(WebSocketLimits.defaultMaxFramePayload + 1)
        let header = clientFrame(0x2, [], announcedLength: over)
        XCTAssertEqual(header.count, WebSocketLimits.maxHeaderBytes)
        assertDecodes(header, [.protocolError(code: 1009, reason: "frame too big")])
        var d = WebSocketFrameDecoder()
        let exact = clientFrame(0x2, [], announcedLength: UInt64(WebSocketLimits.defaultMaxFramePayload))
        XCTAssertEqual(d.feed(exact), [], "a frame of exactly the limit waits for its payload")
        XCTAssertFalse(d.isFinished)
        let huge = clientFrame(0x2, [], announcedLength: UInt64(Int64.max))
        assertDecodes(huge, [.protocolError(code: 1009, reason: "frame too big")])
    }

    func testOversizeMessageAcrossFragments() {
        let limits = WebSocketLimits(maxFramePayload: 200, maxMessage: 300)
        let part = [UInt8](repeating: 1, count: 150)
        assertDecodes(clientFrame(0x2, part, fin: false) + clientFrame(0x0, part), [.binary(part + part)], limits: limits)
        let stream = clientFrame(0x2, part, fin: false) + clientFrame(0x0, part, fin: false) +
            clientFrame(0x0, [], announcedLength: 1)
        assertDecodes(stream, [.protocolError(code: 1009, reason: "message too big")], limits: limits)
        assertDecodes(clientFrame(0x2, part + part), [.protocolError(code: 1009, reason: "frame too big")], limits: limits)
    }

    func testContinuationWithoutStart() {
        assertDecodes(clientFrame(0x0, hello), [.protocolError(code: 1002, reason: "continuation without a message")])
        let afterComplete = clientFrame(0x1, hello) + clientFrame(0x0, hello)
        assertDecodes(afterComplete, [.text("Hello"), .protocolError(code: 1002, reason: "continuation without a message")])
    }

    func testNewDataFrameInsideFragmentedMessage() {
        for op: UInt8 in [0x1, 0x2] {
            let stream = clientFrame(0x1, hello, fin: false) + clientFrame(op, hello)
            assertDecodes(stream, [.protocolError(code: 1002, reason: "new message inside a fragmented one")])
        }
    }

    func testMaskOffsetCarriesAcrossChunksWithDifferentKeys() {
        let payload = Array("The quick brown fox jumps over the lazy dog, twice or thrice.".utf8)
        for key: [UInt8] in [[0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [1, 2, 3, 4], [0xde, 0xad, 0xbe, 0xef]] {
            assertDecodes(clientFrame(0x1, payload, mask: key), [.text(String(decoding: payload, as: UTF8.self))])
        }
    }
}
