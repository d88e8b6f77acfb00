import XCTest
@testable import Shared

final class IPCFrameTests: XCTestCase {
    private func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testLimitConstantsMatchTheContract() {
        XCTAssertEqual(IPCLimits.maxFrameBytes, 1_048_576)
        XCTAssertEqual(IPCLimits.requestTimeout, 1.5)
        XCTAssertEqual(IPCLimits.protocolVersion, 1)
        XCTAssertEqual(IPCLimits.standard.maxFrameBytes, IPCLimits.maxFrameBytes)
        XCTAssertGreaterThan(IPCLimits.maxOutboundBytes, IPCLimits.maxFrameBytes)
    }

    func testEncoderWritesBigEndianLength() {
        let frame = IPCFrameEncoder.encode(Array(repeating: 0x41, count: 0x01_02_03))
        XCTAssertEqual(Array(frame.prefix(4)), [0x00, 0x01, 0x02, 0x03])
        XCTAssertEqual(frame.count, 4 + 0x01_02_03)
    }

    func testPatchHeaderMatchesEncode() {
        var frame: [UInt8] = [0, 0, 0, 0]
        frame.append(contentsOf: body("{\"a\":1}"))
        IPCFrameEncoder.patchHeader(of: &frame)
        XCTAssertEqual(frame, IPCFrameEncoder.encode(body("{\"a\":1}")))
    }

    func testSplitAtEveryPosition() throws {
        let bodies = [body("{\"x\":1}"), body("[]"), body(String(repeating: "z", count: 300))]
        let stream = bodies.flatMap(IPCFrameEncoder.encode)
        for cut in 0...stream.count {
            var decoder = IPCFrameDecoder()
            var got = try decoder.feed(Array(stream[..<cut]))
            got += try decoder.feed(Array(stream[cut...]))
            XCTAssertEqual(got, bodies, "cut at \(cut)")
            XCTAssertTrue(decoder.isAtFrameBoundary)
        }
    }

    func testByteByByte() throws {
        let bodies = [body("hello"), body("w")]
        var decoder = IPCFrameDecoder()
        var got: [[UInt8]] = []
        for byte in bodies.flatMap(IPCFrameEncoder.encode) { got += try decoder.feed([byte]) }
        XCTAssertEqual(got, bodies)
    }

    func testManyFramesInOneBuffer() throws {
        let bodies = (0..<1000).map { body("{\"n\":\($0)}") }
        var decoder = IPCFrameDecoder()
        let got = try decoder.feed(bodies.flatMap(IPCFrameEncoder.encode))
        XCTAssertEqual(got, bodies)
        XCTAssertEqual(decoder.bufferedBodyCapacity, 0)
    }

    func testZeroLengthThrows() {
        var decoder = IPCFrameDecoder()
        XCTAssertThrowsError(try decoder.feed([0, 0, 0, 0, 1])) { error in
            XCTAssertEqual(error as? IPCProtocolError, .emptyFrame)
        }
        // Stays failed: a later valid frame is refused too.
        XCTAssertThrowsError(try decoder.feed(IPCFrameEncoder.encode(body("{}"))))
    }

    func testOversizeRejectedOnFourthHeaderByteWithoutAllocating() throws {
        var decoder = IPCFrameDecoder()
        let declared = IPCLimits.maxFrameBytes + 1
        let header: [UInt8] = [UInt8(declared >> 24), UInt8(declared >> 16 & 0xFF), UInt8(declared >> 8 & 0xFF), UInt8(declared & 0xFF)]
        for byte in header.prefix(3) { XCTAssertEqual(try decoder.feed([byte]), []) }
        XCTAssertThrowsError(try decoder.feed([header[3]])) { error in
            XCTAssertEqual(error as? IPCProtocolError, .frameTooLarge(declared: declared, limit: IPCLimits.maxFrameBytes))
        }
        XCTAssertEqual(decoder.bufferedBodyCapacity, 0)
    }

    func testHugeDeclaredLengthRejected() {
        var decoder = IPCFrameDecoder()
        XCTAssertThrowsError(try decoder.feed([0xFF, 0xFF, 0xFF, 0xFF]))
        XCTAssertEqual(decoder.bufferedBodyCapacity, 0)
    }

    func testFrameAtExactlyTheLimitIsAccepted() throws {
        var decoder = IPCFrameDecoder(maxFrameBytes: 16)
        let ok = Array(repeating: UInt8(0x20), count: 16)
        XCTAssertEqual(try decoder.feed(IPCFrameEncoder.encode(ok)), [ok])
        XCTAssertThrowsError(try decoder.feed(IPCFrameEncoder.encode(ok + [0x20])))
    }

    func testValidFramesBeforeABadHeaderAreStillReturnedByEarlierFeeds() throws {
        var decoder = IPCFrameDecoder()
        let first = IPCFrameEncoder.encode(body("a"))
        XCTAssertEqual(try decoder.feed(first), [body("a")])
        XCTAssertThrowsError(try decoder.feed([0, 0, 0, 0]))
    }
}
