import Glibc
import TestSupport
import XCTest
@testable import Shared

/// Independent restarts and misbehaving peers (DESIGN §3): the client fails fast while the server
/// is gone and comes back by itself; a bad peer loses only its own connection.
final class IPCResilienceTests: XCTestCase {
    func testServerRestartFailFastThenReconnectAndResubscribe() throws {
        let h = try IPCTestHarness()
        var server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["generation": 1])) }
        let client = h.makeClient()
        var events: [String] = []
        var connects = 0
        var disconnects: [String] = []
        client.subscribe(prefixes: ["event.lead_"]) { events.append($0.type) }  // before start
        client.onConnected = { connects += 1 }
        client.onDisconnected = { disconnects.append($0) }
        client.start()
        XCTAssertTrue(h.wait { client.isConnected })
        XCTAssertEqual(h.call(client, "queue.ping")?.successValue, ["generation": 1])
        server.publish(type: "event.lead_claimed", body: [:])
        XCTAssertTrue(h.wait { events == ["event.lead_claimed"] })

        // A request in flight when the server dies fails with the 503.
        var held: IPCReply?
        server.onCommand("queue.hold") { _, reply in held = reply }
        var inFlight: Result<JSONObject, IPCError>?
        client.request(type: "queue.hold", timeout: 5) { inFlight = $0 }
        XCTAssertTrue(h.wait { held != nil })
        server.stop()
        XCTAssertTrue(h.wait { !client.isConnected && inFlight != nil })
        XCTAssertEqual(inFlight?.failureValue, .unreachable("queue-daemon"))
        XCTAssertEqual(disconnects.count, 1)

        // While the server is down: fail fast, same 503 body.
        let down = h.call(client, "queue.ping")?.failureValue
        XCTAssertEqual(down?.status, 503)
        XCTAssertEqual(down?.httpBody, ["error": "Service Unavailable", "message": "queue-daemon is not reachable"])
        h.waitForFailedConnects(3)  // a few failed reconnect attempts against a missing socket

        server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["generation": 2])) }
        XCTAssertTrue(h.wait { client.isConnected && connects == 2 })
        XCTAssertEqual(h.call(client, "queue.ping")?.successValue, ["generation": 2])
        server.publish(type: "event.queue_paused", body: [:])
        server.publish(type: "event.lead_status_changed", body: [:])
        XCTAssertTrue(h.wait { events.count == 2 })
        XCTAssertEqual(events, ["event.lead_claimed", "event.lead_status_changed"])
        held?(.success([:]))  // the old server's reply closure is a no-op now
        client.stop()
    }

    func testFailFastCompletionRunsOnTheLoopNotInsideRequest() throws {
        let h = try IPCTestHarness()
        let client = h.makeClient()  // never started: nothing to reach
        var result: Result<JSONObject, IPCError>?
        client.request(type: "queue.control") { result = $0 }
        XCTAssertNil(result)
        XCTAssertTrue(h.wait { result != nil })
        XCTAssertEqual(result?.failureValue?.code, "peer_unreachable")
    }

    func testClientStartedBeforeServerConnectsWhenItAppears() throws {
        let h = try IPCTestHarness()
        let client = h.makeClient()
        client.start()
        h.waitForFailedConnects(3)
        XCTAssertFalse(client.isConnected)
        XCTAssertEqual(h.logs.filter { $0.contains("cannot connect") }.count, 1, "repeated failures are logged once")
        _ = try h.makeServer()
        XCTAssertTrue(h.wait { client.isConnected })
    }

    private func assertOthersStillWork(_ h: IPCTestHarness, _ client: IPCClient, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(client.isConnected, file: file, line: line)
        XCTAssertEqual(h.call(client, "queue.ping")?.successValue, ["pong": true], file: file, line: line)
    }

    func testGarbageBytesCloseOnlyThatConnection() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        let good = h.connectedClient()
        let raw = try RawIPCPeer(path: h.path)
        raw.write(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer })
        XCTAssertEqual(raw.messages.last?.body["code"], "frame_too_large")
        XCTAssertTrue(h.logs.contains { $0.contains("protocol error") })
        assertOthersStillWork(h, good)
    }

    func testBadJSONAfterHelloClosesOnlyThatConnection() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        let good = h.connectedClient()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello()
        raw.write(IPCFrameEncoder.encode(Array("{not json".utf8)))
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer })
        XCTAssertEqual(raw.messages.first?.type, "hello")
        XCTAssertEqual(raw.messages.last?.body["code"], "invalid_json")
        assertOthersStillWork(h, good)
    }

    func testMissingEnvelopeKeyClosesTheConnection() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello()
        raw.write(IPCFrameEncoder.encode(Array(#"{"v":1,"type":"queue.control","id":2}"#.utf8)))
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer })
        XCTAssertEqual(raw.messages.last?.body["code"], "invalid_envelope")
    }

    func testOversizeAndZeroLengthHeadersCloseBeforeAnyBody() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        let good = h.connectedClient()
        let oversize = try RawIPCPeer(path: h.path)
        oversize.hello()
        let declared = UInt32(IPCLimits.maxFrameBytes + 1)
        oversize.write([UInt8(declared >> 24), UInt8(declared >> 16 & 0xFF), UInt8(declared >> 8 & 0xFF), UInt8(declared & 0xFF)])
        XCTAssertTrue(h.wait { oversize.poll(); return oversize.closedByPeer }, "closed without waiting for the body")
        XCTAssertEqual(oversize.messages.last?.body["code"], "frame_too_large")
        XCTAssertEqual(oversize.messages.last?.body["status"], 413)

        let zero = try RawIPCPeer(path: h.path)
        zero.write([0, 0, 0, 0])
        XCTAssertTrue(h.wait { zero.poll(); return zero.closedByPeer })
        XCTAssertEqual(zero.messages.last?.body["code"], "invalid_frame")
        assertOthersStillWork(h, good)
    }

    func testPeerThatStopsReadingIsDisconnected() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.maxOutboundBytes = 64 << 10
        let server = try h.makeServer(limits: limits)
        var gone: [String] = []
        server.onPeerDisconnected = { _, _, reason in gone.append(reason) }
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        let good = h.connectedClient()
        good.subscribe(prefixes: ["event."]) { _ in }
        let stuck = try RawIPCPeer(path: h.path)
        stuck.hello()
        stuck.send(type: "subscribe", body: ["prefixes": ["event."]])
        XCTAssertTrue(h.wait { server.connectedPeers.count == 2 })
        XCTAssertTrue(h.wait { h.call(good, "queue.ping") != nil })  // both subscribes processed
        let payload = JSON.string(String(repeating: "p", count: 4096))
        var published = 0
        XCTAssertTrue(h.wait {
            // The stuck peer never reads; the kernel buffer fills, then the outbound limit trips.
            for _ in 0..<8 { server.publish(type: "event.bulk", body: ["p": payload]); published += 1 }
            return !gone.isEmpty || published > 20_000
        })
        XCTAssertEqual(gone.count, 1)
        XCTAssertTrue(gone.first?.contains("not reading") ?? false, "\(gone)")
        XCTAssertEqual(IPCLimits.maxOutboundBytes, 8 << 20)
        assertOthersStillWork(h, good)
    }
}

/// DESIGN §3: a daemon restart (instant under socket activation) should cost no request.
final class IPCReconnectHoldTests: XCTestCase {
    func testRequestMadeWhileDownIsSentWhenThePeerReturnsWithinItsTimeout() throws {
        let h = try IPCTestHarness()
        let client = h.makeClient(timeout: 2)
        client.start()
        h.waitForFailedConnects(1)
        XCTAssertFalse(client.isConnected)
        var result: Result<JSONObject, IPCError>?
        client.request(type: "queue.ping") { result = $0 }
        h.waitForFailedConnects(2)  // the request's own attempt, or a backoff retry, found no peer either
        XCTAssertNil(result, "the request waits for the peer instead of failing at once")
        let server = try h.makeServer()
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        XCTAssertTrue(h.wait { result != nil })
        XCTAssertEqual(result?.successValue, ["pong": true])
        client.stop()
    }

    func testRequestWaitingForAnAbsentPeerFailsWith503AtItsTimeout() throws {
        let h = try IPCTestHarness()
        let client = h.makeClient(timeout: 0.2)
        client.start()
        var result: Result<JSONObject, IPCError>?
        client.request(type: "queue.ping") { result = $0 }
        XCTAssertTrue(h.wait { result != nil })
        XCTAssertEqual(result?.failureValue, .unreachable("queue-daemon"))
        client.stop()
    }
}
