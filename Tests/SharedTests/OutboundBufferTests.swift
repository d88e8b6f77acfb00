import Glibc
import XCTest
@testable import Shared

final class OutboundBufferTests: XCTestCase {
    private var writer: Int32 = -1
    private var reader: Int32 = -1

    override func setUpWithError() throws {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw SocketError.errno("socketpair", "test")
        }
        writer = fds[0]
        reader = fds[1]
        try Socket.setNonBlocking(writer)
        try Socket.setNonBlocking(reader)
    }

    override func tearDown() {
        Socket.close(writer)
        Socket.close(reader)
    }

    func testEmptyBufferIsDrainedWithoutWriting() {
        var buffer = OutboundBuffer()
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.count, 0)
        XCTAssertEqual(buffer.flush(to: -1), .drained)
    }

    func testFillsUntilPendingThenDrainsInOrder() {
        var buffer = OutboundBuffer()
        var sent: [UInt8] = []
        var chunkIndex = 0
        var result = FlushResult.drained
        // The peer does not read, so the socket buffer fills and flush reports .pending.
        while result != .pending, sent.count < 64 << 20 {
            let chunk = pattern(chunk: chunkIndex, length: 16_384 + chunkIndex % 7)
            chunkIndex += 1
            sent.append(contentsOf: chunk)
            buffer.append(chunk)
            result = buffer.flush(to: writer)
        }
        XCTAssertEqual(result, .pending)
        XCTAssertFalse(buffer.isEmpty)
        // Append more while pending, through the raw-buffer path.
        let tail = pattern(chunk: 999, length: 50_000)
        tail.withUnsafeBytes { buffer.append(contentsOf: $0) }
        sent.append(contentsOf: tail)

        var received: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 65_536)
        var rounds = 0
        while received.count < sent.count, rounds < 100_000 {
            rounds += 1
            let n = read(reader, &scratch, scratch.count)
            if n > 0 { received.append(contentsOf: scratch[0..<n]) }
            let queuedBefore = buffer.count
            result = buffer.flush(to: writer)
            XCTAssertLessThanOrEqual(buffer.count, queuedBefore)
            if case .failed(let code) = result { XCTFail("flush failed: \(code)"); return }
        }
        XCTAssertEqual(result, .drained)
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(received.count, sent.count)
        XCTAssertTrue(received == sent, "bytes arrive complete and in order")
    }

    func testVanishedPeerIsFailedNotSIGPIPE() {
        var buffer = OutboundBuffer()
        Socket.close(reader)
        reader = -1
        buffer.append(Array("hello".utf8))
        XCTAssertEqual(buffer.flush(to: writer), .failed(EPIPE))
        XCTAssertEqual(buffer.count, 5, "nothing is lost from the queue on failure")
    }

    func testWorksOnAPipe() throws {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        var buffer = OutboundBuffer()
        buffer.append(utf8: "through a pipe")
        XCTAssertEqual(buffer.flush(to: fds[1]), .drained)
        var scratch = [UInt8](repeating: 0, count: 64)
        let n = read(fds[0], &scratch, scratch.count)
        XCTAssertEqual(String(decoding: scratch[0..<max(n, 0)], as: UTF8.self), "through a pipe")
    }

    func testRemoveAllEmptiesTheQueue() {
        var buffer = OutboundBuffer()
        buffer.append([1, 2, 3])
        XCTAssertEqual(buffer.count, 3)
        buffer.removeAll()
        XCTAssertTrue(buffer.isEmpty)
    }

    private func pattern(chunk: Int, length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ chunk &* 7 &+ $0 >> 8) }
    }
}
