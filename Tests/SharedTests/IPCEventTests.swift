import TestSupport
import XCTest
@testable import Shared

/// `subscribe` and `publish`: prefix filtering on both ends, validation and the prefix limit.
final class IPCEventTests: XCTestCase {
    func testPublishReachesOnlyMatchingSubscribers() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        let leads = h.connectedClient()
        let everything = h.connectedClient(role: "dialer")
        let silent = h.connectedClient()
        var leadEvents: [String] = []
        var allEvents: [String] = []
        var silentEvents = 0
        leads.subscribe(prefixes: ["event.lead_"]) { leadEvents.append($0.type) }
        everything.subscribe(prefixes: ["event."]) { allEvents.append($0.type) }
        silent.subscribe(prefixes: []) { _ in silentEvents += 1 }
        // Round trips on each client make sure the subscribe commands were processed.
        server.onCommand("queue.ping") { _, reply in reply(.success([:])) }
        for client in [leads, everything, silent] { XCTAssertNotNil(h.call(client, "queue.ping")?.successValue) }

        server.publish(type: "event.lead_claimed", body: ["leadId": "a"])
        server.publish(type: "event.queue_paused", body: [:])
        server.publish(type: "event.lead_status_changed", body: ["from": "pending", "to": "claimed"])
        XCTAssertTrue(h.wait { allEvents.count == 3 && leadEvents.count == 2 })
        XCTAssertEqual(leadEvents, ["event.lead_claimed", "event.lead_status_changed"])
        XCTAssertEqual(allEvents, ["event.lead_claimed", "event.queue_paused", "event.lead_status_changed"])
        XCTAssertNotNil(h.call(silent, "queue.ping")?.successValue)
        XCTAssertEqual(silentEvents, 0)
    }

    func testEventFramesCarryIdAndNoRe() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        let raw = try RawIPCPeer(path: h.path)
        raw.hello()
        raw.send(type: "subscribe", body: ["prefixes": ["event.call_"]])
        XCTAssertTrue(h.wait { raw.poll(); return raw.messages.count == 2 })
        XCTAssertEqual(raw.messages[1].type, "reply")
        XCTAssertEqual(raw.messages[1].body, [:])
        server.publish(type: "event.call_status_changed", body: ["previousStatus": "ringing"])
        XCTAssertTrue(h.wait { raw.poll(); return raw.messages.count == 3 })
        let event = raw.messages[2]
        XCTAssertEqual(event.type, "event.call_status_changed")
        XCTAssertNil(event.re)
        XCTAssertGreaterThan(event.id, raw.messages[1].id)
        XCTAssertEqual(event.body["previousStatus"], "ringing")
    }

    func testClientSideFilteringAcrossSeveralHandlers() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        let client = h.connectedClient()
        var calls: [String] = []
        var queue: [String] = []
        client.subscribe(prefixes: ["event.call_"]) { calls.append($0.type) }
        client.subscribe(prefixes: ["event.queue_", "event.stuck_"]) { queue.append($0.type) }
        server.onCommand("queue.ping") { _, reply in reply(.success([:])) }
        XCTAssertNotNil(h.call(client, "queue.ping")?.successValue)
        for type in ["event.call_status_changed", "event.queue_resumed", "event.lead_assigned", "event.stuck_leads_reset"] {
            server.publish(type: type, body: [:])
        }
        XCTAssertTrue(h.wait { calls.count == 1 && queue.count == 2 })
        XCTAssertEqual(queue, ["event.queue_resumed", "event.stuck_leads_reset"])
    }

    func testInvalidSubscribeBodies() throws {
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        let client = h.connectedClient()
        XCTAssertEqual(h.call(client, "subscribe", [:])?.failureValue?.status, 400)
        XCTAssertEqual(h.call(client, "subscribe", ["prefixes": "event."])?.failureValue?.status, 400)
        XCTAssertEqual(h.call(client, "subscribe", ["prefixes": ["event.", 3]])?.failureValue?.status, 400)
        XCTAssertNotNil(h.call(client, "subscribe", ["prefixes": ["event."]])?.successValue)
    }

    func testSubscriptionPrefixLimit() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.maxSubscriptionPrefixes = 3
        _ = try h.makeServer(limits: limits)
        let client = h.connectedClient()
        XCTAssertNotNil(h.call(client, "subscribe", ["prefixes": ["event.a", "event.b", "event.a"]])?.successValue)
        XCTAssertNotNil(h.call(client, "subscribe", ["prefixes": ["event.c", "event.b"]])?.successValue)
        XCTAssertEqual(h.call(client, "subscribe", ["prefixes": ["event.d"]])?.failureValue?.code, "too_many_prefixes")
        XCTAssertEqual(IPCLimits.maxSubscriptionPrefixes, 32)
    }

    func testOversizeEventIsNotPublished() throws {
        let h = try IPCTestHarness()
        var limits = IPCTestHarness.fastLimits
        limits.maxFrameBytes = 256
        let server = try h.makeServer(limits: limits)
        let client = h.connectedClient()
        var got: [String] = []
        client.subscribe(prefixes: ["event."]) { got.append($0.type) }
        server.onCommand("queue.ping") { _, reply in reply(.success([:])) }
        XCTAssertNotNil(h.call(client, "queue.ping")?.successValue)
        server.publish(type: "event.huge", body: ["x": .string(String(repeating: "x", count: 1000))])
        server.publish(type: "event.small", body: [:])
        XCTAssertTrue(h.wait { !got.isEmpty })
        XCTAssertEqual(got, ["event.small"])
        XCTAssertTrue(h.logs.contains { $0.contains("event.huge") })
    }
}
