import TestSupport
import XCTest
@testable import Shared

/// Commands and replies between a real IPCServer and IPCClient on one loop over a Unix socket.
final class IPCRequestTests: XCTestCase {
    func testSeveralInFlightAnsweredOutOfOrder() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var held: [(Int64, IPCReply)] = []
        server.onCommand("queue.echo") { request, reply in
            held.append((request.body["n"]?.int ?? -1, reply))
        }
        let client = h.connectedClient()
        var results: [Int64: Result<JSONObject, IPCError>] = [:]
        for n in Int64(1)...5 {
            client.request(type: "queue.echo", body: ["n": .int(n)]) { results[n] = $0 }
        }
        XCTAssertTrue(h.wait { held.count == 5 })
        XCTAssertEqual(client.pendingCount, 5)
        for (n, reply) in held.reversed() {
            reply(n == 3 ? .failure(IPCError(wireCode: "odd", status: 409, error: "Conflict", message: "three")) : .success(["echo": .int(n * 10)]))
        }
        XCTAssertTrue(h.wait { results.count == 5 })
        for n in Int64(1)...5 where n != 3 {
            XCTAssertEqual(results[n]?.successValue, ["echo": .int(n * 10)])
        }
        XCTAssertEqual(results[3]?.failureValue, IPCError(wireCode: "odd", status: 409, error: "Conflict", message: "three"))
        XCTAssertEqual(client.pendingCount, 0)
    }

    func testRawBodyRequestsAreAnsweredLikeAnyOther() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.echo") { request, reply in reply(.success(["got": .object(request.body)])) }
        let client = h.connectedClient()
        var result: Result<JSONObject, IPCError>?
        client.request(type: "queue.echo", rawBody: Array(#"{"rows":[1,2]}"#.utf8)) { result = $0 }
        XCTAssertTrue(h.wait { result != nil })
        XCTAssertEqual(result?.successValue, ["got": ["rows": [1, 2]]])
    }

    func testReplyAfterADelay() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.slow") { _, reply in
            h.loop.schedule(after: 0.02) { reply(.success(["late": true])) }
        }
        let client = h.connectedClient()
        XCTAssertEqual(h.call(client, "queue.slow")?.successValue, ["late": true])
    }

    func testTimeoutFailsWithUnavailableAndLateReplyIsIgnored() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var held: IPCReply?
        server.onCommand("queue.never") { _, reply in held = reply }
        let client = h.connectedClient()
        var outcomes: [Result<JSONObject, IPCError>] = []
        client.request(type: "queue.never", timeout: 0.05) { outcomes.append($0) }
        XCTAssertTrue(h.wait { outcomes.count == 1 })
        let error = outcomes[0].failureValue
        XCTAssertEqual(error?.status, 503)
        XCTAssertEqual(error?.code, "peer_timeout")
        XCTAssertEqual(error?.httpBody, ["error": "Service Unavailable", "message": "queue-daemon is not reachable"])
        held?(.success(["too": "late"]))
        // The connection still works and the late answer was not delivered twice.
        server.onCommand("queue.ping") { _, reply in reply(.success(["pong": true])) }
        XCTAssertEqual(h.call(client, "queue.ping")?.successValue, ["pong": true])
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertTrue(client.isConnected)
    }

    func testUnknownCommand() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let client = h.connectedClient()
        let error = h.call(client, "queue.frobnicate")?.failureValue
        XCTAssertEqual(error?.code, "unknown_command")
        XCTAssertEqual(error?.status, 400)
        XCTAssertTrue(client.isConnected)
    }

    func testSecondReplyIsANoOp() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.twice") { _, reply in
            reply(.success(["first": true]))
            reply(.success(["second": true]))
        }
        server.onCommand("queue.ping") { _, reply in reply(.success([:])) }
        let client = h.connectedClient()
        XCTAssertEqual(h.call(client, "queue.twice")?.successValue, ["first": true])
        XCTAssertNotNil(h.call(client, "queue.ping")?.successValue)
        XCTAssertFalse(h.logs.contains { $0.contains("unsolicited") })
    }

    func testReplyAfterRequesterLeftIsANoOp() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var held: IPCReply?
        server.onCommand("queue.hold") { _, reply in held = reply }
        let client = h.connectedClient()
        var result: Result<JSONObject, IPCError>?
        client.request(type: "queue.hold") { result = $0 }
        XCTAssertTrue(h.wait { held != nil })
        client.stop()
        XCTAssertTrue(h.wait { result != nil && server.connectedPeers.isEmpty })
        XCTAssertEqual(result?.failureValue, .unreachable("queue-daemon"))
        held?(.success([:]))
    }

    func testPrefixAndExactRoutingAndPeerRole() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand(prefix: "queue.") { request, reply in
            reply(.success(["via": "queue.", "type": .string(request.type), "peer": .string(request.peerRole)]))
        }
        server.onCommand(prefix: "queue.import_") { _, reply in reply(.success(["via": "queue.import_"])) }
        server.onCommand("queue.import_commit") { _, reply in reply(.success(["via": "exact"])) }
        let client = h.connectedClient(role: "dialer")
        XCTAssertEqual(h.call(client, "queue.claim_lead")?.successValue,
                       ["via": "queue.", "type": "queue.claim_lead", "peer": "dialer"])
        XCTAssertEqual(h.call(client, "queue.import_chunk")?.successValue, ["via": "queue.import_"])
        XCTAssertEqual(h.call(client, "queue.import_commit")?.successValue, ["via": "exact"])
        XCTAssertEqual(h.call(client, "dialer.status")?.failureValue?.code, "unknown_command")
    }

    func testClientPendingLimitFailsFast() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.hold") { _, _ in }
        var limits = IPCTestHarness.fastLimits
        limits.maxPendingRequests = 2
        let client = h.connectedClient(limits: limits)
        var results: [Result<JSONObject, IPCError>] = []
        for _ in 0..<3 { client.request(type: "queue.hold", timeout: 5) { results.append($0) } }
        XCTAssertTrue(h.wait { results.count == 1 })
        XCTAssertEqual(results[0].failureValue?.code, "too_many_pending")
        XCTAssertEqual(results[0].failureValue?.status, 503)
        XCTAssertEqual(client.pendingCount, 2)
    }

    func testServerPendingLimitAnswers503() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.maxPendingRequests = 2
        let server = try h.makeServer(limits: limits)
        var holds = 0
        server.onCommand("queue.hold") { _, _ in holds += 1 }
        let raw = try RawIPCPeer(path: h.path)
        raw.hello()
        for _ in 0..<3 { raw.send(type: "queue.hold") }
        XCTAssertTrue(h.wait { raw.poll(); return raw.messages.count == 2 })
        XCTAssertEqual(raw.messages[1].type, "error")
        XCTAssertEqual(raw.messages[1].re, 4)
        XCTAssertEqual(raw.messages[1].body["code"], "too_many_pending")
        XCTAssertEqual(holds, 2)
    }

    func testOversizeReplyBecomesAnError() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.maxFrameBytes = 512
        let server = try h.makeServer(limits: limits)
        server.onCommand("queue.big") { _, reply in reply(.success(["blob": .string(String(repeating: "x", count: 2000))])) }
        let client = h.connectedClient()
        let error = h.call(client, "queue.big")?.failureValue
        XCTAssertEqual(error?.code, "reply_too_large")
        XCTAssertEqual(error?.status, 500)
    }

    func testOversizeRequestFailsLocally() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var called = false
        server.onCommand("queue.import_chunk") { _, reply in called = true; reply(.success([:])) }
        var limits = IPCTestHarness.fastLimits
        limits.maxFrameBytes = 256
        let client = h.connectedClient(limits: limits)
        let error = h.call(client, "queue.import_chunk", ["rows": .string(String(repeating: "r", count: 300))])?.failureValue
        XCTAssertEqual(error?.code, "request_too_large")
        XCTAssertFalse(called)
        XCTAssertTrue(client.isConnected)
    }

    func testLargeBodyCrossesThePartialWritePath() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.onCommand("queue.import_chunk") { request, reply in
            reply(.success(["size": .int(Int64(request.body["csv"]?.string?.utf8.count ?? 0)),
                            "echo": request.body["csv"] ?? .null]))
        }
        let client = h.connectedClient()
        let csv = String(repeating: "phone,name\n+998901234567,Ali\n", count: 30_000)  // ~0.9 MiB
        let reply = h.call(client, "queue.import_chunk", ["csv": .string(csv)])?.successValue
        XCTAssertEqual(reply?["size"], .int(Int64(csv.utf8.count)))
        XCTAssertEqual(reply?["echo"]?.string, csv)
    }
}
