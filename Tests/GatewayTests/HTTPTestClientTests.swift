import Foundation
import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

/// A parsed response as the test client saw it.
struct ClientResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON? { try? JSON.parse(body) }
}

/// A non-blocking TCP client driven by the same event loop as the server under test, so tests
/// stay single-threaded: `send` queues bytes, `run(until:)` turns the loop.
final class HTTPTestClient {
    let loop: EventLoop
    let fd: Int32
    var received: [UInt8] = []
    var eof = false
    var reset = false
    private var out = OutboundBuffer()
    private var source: IOSource?

    init(loop: EventLoop, port: UInt16) throws {
        self.loop = loop
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw SocketError.errno("connect", "127.0.0.1:\(port)") }
        try Socket.setNonBlocking(fd)
        source = try loop.addIO(fd: fd, events: .readable) { [weak self] _ in self?.readable() }
    }

    deinit { close() }

    private var closed = false

    func close() {
        source?.cancel()
        source = nil
        if !closed { Glibc.close(fd) }
        closed = true
    }

    /// Closes with a reset (SO_LINGER 0), as a crashed or impatient client does.
    func abort() {
        var lingerOption = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lingerOption, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Stops reading (the kernel buffers fill up and the server's writes stall).
    func pauseReading() {
        paused = true
        source?.setEvents([])
    }

    func resumeReading() {
        paused = false
        pump()
    }

    /// Half-close: no more bytes from the client.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        out.append(bytes)
        pump()
    }

    private var paused = false

    private func pump() {
        let reading: IOEvents = paused ? [] : .readable
        if case .pending = out.flush(to: fd) {
            source?.setEvents(reading.union(.writable))
        } else {
            source?.setEvents(reading)
        }
    }

    private func readable() {
        if !out.isEmpty { pump() }
        if paused { return }
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = read(fd, &buf, buf.count)
        if n > 0 { received += buf[0..<n] } else if n == 0 { eof = true; source?.cancel() } else if errno == ECONNRESET {
            reset = true; eof = true; source?.cancel()
        }
    }

    @discardableResult
    func run(until condition: () -> Bool, timeout: Double = 3) -> Bool {
        loop.run(until: condition, timeout: timeout)
    }

    /// Runs until `count` complete responses arrived (HEAD answers at `headIndexes` have no body).
    func responses(_ count: Int, headIndexes: Set<Int> = [], timeout: Double = 3) -> [ClientResponse] {
        var parsed: [ClientResponse] = []
        run(until: {
            parsed = HTTPTestClient.parse(received, headIndexes: headIndexes)
            return parsed.count >= count || eof
        }, timeout: timeout)
        parsed = HTTPTestClient.parse(received, headIndexes: headIndexes)
        return parsed
    }

    func waitForClose(timeout: Double = 3) -> Bool { run(until: { self.eof }, timeout: timeout) }

    static func parse(_ bytes: [UInt8], headIndexes: Set<Int> = []) -> [ClientResponse] {
        var result: [ClientResponse] = []
        var i = 0
        let terminator: [UInt8] = [13, 10, 13, 10]
        while i < bytes.count {
            guard let end = find(terminator, in: bytes, from: i) else { break }
            let headText = String(decoding: bytes[i..<end], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst().split(separator: " ")
            guard statusLine.count >= 2, let status = Int(statusLine[1]) else { break }
            var headers = HTTPHeaders()
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            var bodyStart = end + 4
            if status == 100 { i = bodyStart; continue }
            let length = headIndexes.contains(result.count) ? 0 : Int(headers["Content-Length"] ?? "0") ?? 0
            guard bodyStart + length <= bytes.count else { break }
            result.append(ClientResponse(status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)])))
            bodyStart += length
            i = bodyStart
        }
        return result
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// A server on 127.0.0.1, port 0, with its own loop.
final class TestServer {
    let loop: EventLoop
    let listenFD: Int32
    let port: UInt16
    var server: HTTPServer!

    init(options: HTTPServerOptions = HTTPServerOptions(), handler: @escaping HTTPServer.Handler) throws {
        loop = try EventLoop()
        listenFD = try Socket.listenTCP(host: "127.0.0.1", port: 0)
        port = Socket.localPort(listenFD) ?? 0
        server = try HTTPServer(loop: loop, listenFD: listenFD, options: options, handler: handler)
    }

    func client() throws -> HTTPTestClient { try HTTPTestClient(loop: loop, port: port) }

    func stop() {
        server.shutdown()
        server = nil
        Glibc.close(listenFD)
    }
}

final class HTTPTestClientTests: XCTestCase {
    func testResponseParserSplitsPipelinedResponses() {
        let raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"
        let parsed = HTTPTestClient.parse(Array(raw.utf8))
        XCTAssertEqual(parsed.map(\.status), [200, 404])
        XCTAssertEqual(parsed.first?.text, "hi")
    }
}
