import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

/// A frame as the test peer saw it from the server (unmasked server frames).
struct ServerFrame: Equatable {
    var fin: Bool
    var opcode: UInt8
    var payload: [UInt8]
    var text: String { String(decoding: payload, as: UTF8.self) }
    /// The status code of a close frame, nil when it has none.
    var closeCode: UInt16? {
        guard opcode == 0x8, payload.count >= 2 else { return nil }
        return UInt16(payload[0]) << 8 | UInt16(payload[1])
    }
}

/// The client end of a socketpair whose other end is handed to a `WebSocketConnection` as if
/// the HTTP server had hijacked it: no TCP, no handshake, driven by the same event loop.
/// `send*` writes masked client frames; `frames` decodes what the server wrote.
final class WebSocketTestPeer {
    let loop: EventLoop
    let clientFD: Int32
    let serverFD: Int32
    var received: [UInt8] = []
    var eof = false
    private var source: IOSource?

    init(loop: EventLoop, receiveBuffer: Int32? = nil) throws {
        self.loop = loop
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else {
            throw SocketError.errno("socketpair", "")
        }
        clientFD = fds[0]
        serverFD = fds[1]
        if var size = receiveBuffer {
            setsockopt(clientFD, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(serverFD, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        try Socket.setNonBlocking(clientFD)
        try Socket.setNonBlocking(serverFD)
    }

    /// What the server side gets, as `HTTPResponder.hijack` would hand it over.
    func hijacked(bufferedInput: [UInt8] = []) -> HijackedConnection {
        HijackedConnection(fd: serverFD, remoteAddress: "test-peer", bufferedInput: bufferedInput,
                           pendingOutput: OutboundBuffer())
    }

    /// Starts reading what the server writes (call it to observe output; leave it off to be a
    /// client that never reads).
    func startReading() throws {
        source = try loop.addIO(fd: clientFD, events: .readable) { [weak self] _ in self?.readable() }
    }

    func close() {
        source?.cancel()
        source = nil
        Glibc.close(clientFD)
    }

    private func readable() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(clientFD, &buffer, buffer.count)
        if n > 0 { received += buffer[0..<n] } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
            eof = true
            source?.cancel()
        }
    }

    static func clientFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true,
                            mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count <= 125 {
            out.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        out += mask
        for (i, b) in payload.enumerated() { out.append(b ^ mask[i & 3]) }
        return out
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(clientFD, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else { loop.runOnceIgnoringErrors() }
        }
    }

    func sendText(_ text: String) { write(Self.clientFrame(opcode: 0x1, payload: Array(text.utf8))) }
    func sendBinary(_ bytes: [UInt8]) { write(Self.clientFrame(opcode: 0x2, payload: bytes)) }
    func sendClose(code: UInt16?) {
        write(Self.clientFrame(opcode: 0x8, payload: code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? []))
    }

    /// Server frames decoded from `received` so far.
    var frames: [ServerFrame] { Self.parse(received) }

    static func parse(_ bytes: [UInt8]) -> [ServerFrame] {
        var frames: [ServerFrame] = []
        var i = 0
        while i + 2 <= bytes.count {
            var length = Int(bytes[i + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard i + 4 <= bytes.count else { break }
                length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
                header = 4
            } else if length == 127 {
                guard i + 10 <= bytes.count else { break }
                length = 0
                for k in 0..<8 { length = length << 8 | Int(bytes[i + 2 + k]) }
                header = 10
            }
            guard i + header + length <= bytes.count else { break }
            frames.append(ServerFrame(fin: bytes[i] & 0x80 != 0, opcode: bytes[i] & 0x0F,
                                      payload: Array(bytes[(i + header)..<(i + header + length)])))
            i += header + length
        }
        return frames
    }

    @discardableResult
    func run(until condition: () -> Bool, timeout: Double = 3) -> Bool { loop.run(until: condition, timeout: timeout) }
}

extension EventLoop {
    func runOnceIgnoringErrors() { try? runOnce(timeout: 0.01) }
}

final class RealtimeTestPeerTests: XCTestCase {
    func testParsesServerFramesOfEveryLengthEncoding() {
        var bytes = WebSocketFrameEncoder.text("hi")
        bytes += WebSocketFrameEncoder.binary([UInt8](repeating: 7, count: 300))
        bytes += WebSocketFrameEncoder.binary([UInt8](repeating: 1, count: 70_000))
        bytes += WebSocketFrameEncoder.close(code: 1000)
        let frames = WebSocketTestPeer.parse(bytes)
        XCTAssertEqual(frames.map(\.opcode), [1, 2, 2, 8])
        XCTAssertEqual(frames.map(\.payload.count), [2, 300, 70_000, 2])
        XCTAssertEqual(frames.last?.closeCode, 1000)
    }

    func testClientFramesDecodeWithTheServerDecoder() {
        var decoder = WebSocketFrameDecoder()
        let events = decoder.feed(WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("héllo".utf8)))
        XCTAssertEqual(events, [.text("héllo")])
    }
}
