import XCTest
@testable import api_gateway
@testable import Shared

/// The timeouts of `HTTPServerOptions`, shortened for the test.
final class HTTPServerTimeoutTests: XCTestCase {
    var t: TestServer!

    override func setUpWithError() throws {
        var options = HTTPServerOptions()
        options.headerTimeout = 0.15
        options.idleTimeout = 0.15
        options.bodyStallTimeout = 0.15
        t = try TestServer(options: options) { _, res in res.send(.text(200, "ok")) }
    }

    override func tearDown() { t.stop() }

    func testDefaultsAreTheDocumentedValues() {
        let o = HTTPServerOptions()
        XCTAssertEqual(o.headerTimeout, 10)
        XCTAssertEqual(o.idleTimeout, 60)
        XCTAssertEqual(o.bodyStallTimeout, 30)
        XCTAssertEqual(o.maxConnections, 10_000)
        XCTAssertEqual(o.maxPendingRequests, 16)
    }

    func testHeaderTimeout408() throws {
        let c = try t.client()
        c.send("GET / HTTP/1.1\r\nHost: x\r\n")
        XCTAssertTrue(c.waitForClose())
        let r = HTTPTestClient.parse(c.received).first
        XCTAssertEqual(r?.status, 408)
        XCTAssertEqual(r?.json?["error"], "Request Timeout")
        XCTAssertEqual(r?.headers["Connection"], "close")
    }

    func testSlowLorisIsCutEvenWhileBytesKeepComing() throws {
        let c = try t.client()
        let started = MonotonicClock.seconds()
        c.send("GET / HTTP/1.1\r\n")
        var n = 0
        let trickle = t.loop.repeating(every: 0.03) { n += 1; c.send("X-\(n): v\r\n") }
        defer { trickle.cancel() }
        XCTAssertTrue(c.waitForClose(timeout: 2))
        XCTAssertEqual(HTTPTestClient.parse(c.received).first?.status, 408)
        XCTAssertLessThan(MonotonicClock.seconds() - started, 1.5)
    }

    func testIdleKeepAliveConnectionIsClosedQuietly() throws {
        let c = try t.client()
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(c.responses(1).count, 1)
        XCTAssertTrue(c.waitForClose())
        XCTAssertEqual(HTTPTestClient.parse(c.received).count, 1, "no response for an idle close")
        XCTAssertEqual(t.server.connectionCount, 0)
    }

    func testIdleClockRestartsAfterEachRequest() throws {
        t.stop()
        var options = HTTPServerOptions()
        options.idleTimeout = 1  // long enough that a loaded machine answers and reads well within it
        t = try TestServer(options: options) { _, res in res.send(.text(200, "ok")) }
        let c = try t.client()
        let idle: UInt64 = 1_000_000
        var deadlines: [UInt64] = []
        for i in 1...4 {
            if let previous = deadlines.last {  // a later request: the loop's clock has moved on
                XCTAssertTrue(c.run(until: { self.t.loop.nowMicros > previous - idle }))
            }
            let sentAt = t.loop.nowMicros
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(c.responses(i).count, i)
            let connection = try XCTUnwrap(t.server.connections.values.first)
            XCTAssertEqual(connection.phase, .idle)
            // Idle from the answer on: the answer came after `sentAt` and before now.
            XCTAssertGreaterThanOrEqual(connection.deadline, sentAt + idle, "request \(i) restarted the idle clock")
            XCTAssertLessThanOrEqual(connection.deadline, connection.loop.nowMicros + idle)
            if let previous = deadlines.last { XCTAssertGreaterThan(connection.deadline, previous) }
            deadlines.append(connection.deadline)
        }
        XCTAssertFalse(c.eof)
        XCTAssertTrue(c.waitForClose(), "idle after the last answer")
        XCTAssertGreaterThanOrEqual(MonotonicClock.micros(), deadlines.last ?? 0, "not before the last deadline")
    }

    func testBodyStall408() throws {
        let c = try t.client()
        c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        XCTAssertTrue(c.waitForClose())
        XCTAssertEqual(HTTPTestClient.parse(c.received).first?.status, 408)
    }

    func testSilentNewConnectionGetsTheHeaderTimeoutNotTheIdleOne() throws {
        t.stop()
        var options = HTTPServerOptions()
        options.headerTimeout = 0.1
        options.idleTimeout = 30
        t = try TestServer(options: options) { _, res in res.send(.text(200, "ok")) }
        let c = try t.client()
        XCTAssertTrue(c.waitForClose(timeout: 2))
        XCTAssertTrue(c.received.isEmpty, "closed quietly: no request was started")
    }

    func testWriteStallClosesAConnectionThatDoesNotRead() throws {
        t.stop()
        var options = HTTPServerOptions()
        options.writeStallTimeout = 0.15
        let big = [UInt8](repeating: 0x62, count: 16 * 1024 * 1024)
        t = try TestServer(options: options) { _, res in res.send(.bytes(200, big, contentType: "application/octet-stream")) }
        let c = try t.client()
        c.pauseReading()
        c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(c.run(until: { t.server.connectionCount == 1 }))
        XCTAssertTrue(c.run(until: { t.server.connectionCount == 0 }, timeout: 3), "the stalled writer is cut")
    }

    func testLingerAfterAnErrorIsBounded() throws {
        t.stop()
        var options = HTTPServerOptions()
        options.lingerTimeout = 0.1
        t = try TestServer(options: options) { _, res in res.send(.empty()) }
        let c = try t.client()
        c.send("BROKEN\r\n\r\n")
        XCTAssertTrue(c.waitForClose(), "the server's FIN arrives after the 400")
        XCTAssertEqual(HTTPTestClient.parse(c.received).first?.status, 400)
        XCTAssertTrue(c.run(until: { t.server.connectionCount == 0 }, timeout: 2),
                      "a client that never closes is dropped after the linger time")
    }
}
