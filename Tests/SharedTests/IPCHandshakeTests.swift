import TestSupport
import XCTest
@testable import Shared

/// The hello handshake: accepted roles, refusals (role, version, first frame, timeout).
final class IPCHandshakeTests: XCTestCase {
    func testHelloAcceptedBothWays() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var peers: [String] = []
        server.onPeerConnected = { role, _ in peers.append(role) }
        let client = h.makeClient()
        var connectedCalls = 0
        client.onConnected = { connectedCalls += 1 }
        client.start()
        XCTAssertTrue(h.wait { client.isConnected })
        XCTAssertEqual(client.serverRole, "queue")
        XCTAssertEqual(connectedCalls, 1)
        XCTAssertTrue(h.wait { peers == ["gateway"] })
        XCTAssertEqual(server.connectedPeers, ["gateway"])
    }

    func testRawHelloGetsServerHelloWithRe() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello(role: "dialer")
        XCTAssertTrue(h.wait { raw.poll(); return !raw.messages.isEmpty })
        let answer = raw.messages[0]
        XCTAssertEqual(answer.type, "hello")
        XCTAssertEqual(answer.re, 1)
        XCTAssertEqual(answer.body, ["v": 1, "role": "queue"])
        XCTAssertEqual(server.connectedPeers, ["dialer"])
    }

    private func assertRefused(_ h: IPCTestHarness, _ raw: RawIPCPeer, code: String, status: Int64,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer }, "not closed", file: file, line: line)
        guard let error = raw.messages.last else { return XCTFail("no error frame", file: file, line: line) }
        XCTAssertEqual(error.type, "error", file: file, line: line)
        XCTAssertEqual(error.body["code"], .string(code), file: file, line: line)
        XCTAssertEqual(error.body["status"], .int(status), file: file, line: line)
    }

    func testWrongRoleRefused() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer(allowed: ["gateway"])
        let raw = try RawIPCPeer(path: h.path)
        raw.hello(role: "dialer")
        assertRefused(h, raw, code: "role_not_allowed", status: 403)
        XCTAssertEqual(raw.messages.last?.re, 1)
        XCTAssertEqual(server.connectedPeers, [])
        XCTAssertTrue(h.logs.contains { $0.contains("handshake refused") })
    }

    func testMissingRoleRefused() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.send(type: "hello", body: ["v": 1])
        assertRefused(h, raw, code: "role_not_allowed", status: 403)
    }

    func testWrongHelloVersionRefused() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello(version: 2)
        assertRefused(h, raw, code: "unsupported_version", status: 400)
    }

    func testWrongEnvelopeVersionRefused() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.write(IPCFrameEncoder.encode(Array(#"{"v":2,"type":"hello","id":1,"re":null,"body":{"v":2,"role":"gateway"}}"#.utf8)))
        assertRefused(h, raw, code: "unsupported_version", status: 400)
    }

    func testNonHelloFirstFrameRefused() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var handled = false
        server.onCommand("queue.control") { _, reply in handled = true; reply(.success([:])) }
        let raw = try RawIPCPeer(path: h.path)
        raw.send(type: "queue.control", body: ["action": "pause"])
        assertRefused(h, raw, code: "hello_required", status: 400)
        XCTAssertFalse(handled)
    }

    func testSilentPeerClosedAfterHelloTimeout() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.helloTimeout = 0.05
        _ = try h.makeServer(limits: limits)
        let raw = try RawIPCPeer(path: h.path)
        assertRefused(h, raw, code: "hello_timeout", status: 400)
    }

    func testSecondHelloIsAnErrorButKeepsTheConnection() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello()
        raw.hello()
        XCTAssertTrue(h.wait { raw.poll(); return raw.messages.count == 2 })
        XCTAssertEqual(raw.messages[1].body["code"], "unexpected_hello")
        XCTAssertFalse(raw.closedByPeer)
    }

    func testClientWithRefusedRoleStaysDisconnectedAndFailsFast() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer(allowed: ["dialer"])
        let client = h.makeClient(role: "gateway")
        client.start()
        XCTAssertTrue(h.wait { h.logs.contains { $0.contains("hello refused") } })
        XCTAssertFalse(client.isConnected)
        let result = h.call(client, "queue.control")
        XCTAssertEqual(result?.failureValue, .unreachable("queue-daemon"))
        client.stop()
    }
}

