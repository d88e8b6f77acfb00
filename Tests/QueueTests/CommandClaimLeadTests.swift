/// `queue.claim_lead` / `queue.release_lead` over IPC: the atomic claim under 20 simultaneous
/// clients, each refusal, release rules, and claim expiry back to `pending` (timer and start-up).

import XCTest
@testable import Shared
@testable import queue_daemon

final class CommandClaimLeadTests: QueueDaemonTestCase {
    private let operatorA = QueueDaemonHarness.operatorA
    private let operatorB = QueueDaemonHarness.operatorB

    override var harnessEnvironment: [String: String] { ["IBRAT_CLAIM_TIMEOUT": "60"] }

    private func claim(_ id: String, by actor: String) -> JSONObject {
        ["actorId": .string(actor), "leadId": .string(id)]
    }

    func testTwentySimultaneousClaimsFromTwentyClientsExactlyOneWins() throws {
        let id = try XCTUnwrap(harness.createLead(phone: "+998901234567")["id"]?.string)
        let clients = (0..<20).map { _ in harness.client() }
        var results: [Int: Result<JSONObject, IPCError>] = [:]
        for (n, client) in clients.enumerated() {
            let operatorId = String(format: "%024x", 0xabc000 + n)
            client.request(type: "queue.claim_lead", body: claim(id, by: operatorId)) { results[n] = $0 }
        }
        XCTAssertTrue(harness.loop.run(until: { results.count == 20 }, timeout: 10))
        let winners = results.filter { if case .success = $0.value { return true }; return false }
        XCTAssertEqual(winners.count, 1)
        for case .failure(let error) in results.values {
            XCTAssertEqual(error.status, 409)
            XCTAssertEqual(error.code, "lead_not_available")
            XCTAssertEqual(error.error, "Lead is not available for claiming")
        }
        let winner = try XCTUnwrap(winners.first)
        let winnerId = String(format: "%024x", 0xabc000 + winner.key)
        let row = try XCTUnwrap(harness.query("SELECT status, assigned_to FROM leads WHERE id = ?", [.text(id)]).first)
        XCTAssertEqual(row.string(at: 0), "claimed")
        XCTAssertEqual(row.string(at: 1), winnerId)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE lead_id = ? AND to_status = 'claimed'",
                                         [.text(id)]), 1)
    }

    func testClaimReplyEventAndDispatchHook() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let id = try XCTUnwrap(harness.createLead(phone: "+998901234567")["id"]?.string)
        let lead = harness.ok("queue.claim_lead", claim(id, by: operatorA))["lead"]
        XCTAssertEqual(lead?["status"], "claimed")
        XCTAssertEqual(lead?["assignedTo"]?.string, operatorA)
        XCTAssertEqual(lead?["claimedAt"], .string(Timestamp.iso8601(millis: harness.clock.now)))
        XCTAssertEqual(recorder.left, [id])
        harness.drain(until: { self.harness.eventTypes().contains("event.lead_claimed") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.lead_claimed" })
        XCTAssertEqual(event.body["operatorId"]?.string, operatorA)
        XCTAssertEqual(event.body["lead"]?["id"]?.string, id)
    }

    func testRefusals() throws {
        let id = try XCTUnwrap(harness.createLead(phone: "+998901234567")["id"]?.string)
        harness.fails("queue.claim_lead", claim("0123456789abcdef01234567", by: operatorA), status: 404,
                      code: "lead_not_found", error: "Lead not found")
        harness.fails("queue.claim_lead", ["actorId": .string(operatorA)], status: 400, code: "validation_failed")
        harness.fails("queue.claim_lead", claim("xyz", by: operatorA), status: 400)
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorA))
        let again = harness.fails("queue.claim_lead", claim(id, by: operatorA), status: 409, code: "lead_not_available")
        XCTAssertEqual(again?.message, "You have already claimed this lead")
        let other = harness.fails("queue.claim_lead", claim(id, by: operatorB), status: 409, code: "lead_not_available")
        XCTAssertEqual(other?.message, "Lead is already claimed by another operator")
        let failed = try XCTUnwrap(harness.createLead(phone: "+998902222222")["id"]?.string)
        _ = harness.ok("queue.update_lead", ["actorId": .string(admin), "actorRole": "admin", "leadId": .string(failed), "status": "failed"])
        let notPending = harness.fails("queue.claim_lead", claim(failed, by: operatorA), status: 409)
        XCTAssertEqual(notPending?.message, "Lead is failed")
        let deleted = try XCTUnwrap(harness.createLead(phone: "+998903333333")["id"]?.string)
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(deleted)])
        harness.fails("queue.claim_lead", claim(deleted, by: operatorA), status: 409, code: "lead_inactive",
                      error: "Lead is not active")
    }

    func testReleaseReturnsTheLeadToPending() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let id = try XCTUnwrap(harness.createLead(phone: "+998901234567")["id"]?.string)
        harness.fails("queue.release_lead", claim(id, by: operatorA), status: 409, code: "lead_not_claimed")
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorA))
        var byB = claim(id, by: operatorB)
        byB["actorRole"] = "operator"
        harness.fails("queue.release_lead", byB, status: 403, code: "lead_assigned_to_other")
        let lead = harness.ok("queue.release_lead", claim(id, by: operatorA))["lead"]
        XCTAssertEqual(lead?["status"], "pending")
        XCTAssertEqual(lead?["assignedTo"], .null)
        XCTAssertEqual(recorder.became.last?.id, id)
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorB))
        XCTAssertEqual(harness.ok("queue.release_lead", claim(id, by: admin).merging(["actorRole": "admin"]))["lead"]?["status"],
                       "pending")
    }

    func testClaimsExpireAfterTheTimeout() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        let first = try XCTUnwrap(harness.createLead(phone: "+998901111111")["id"]?.string)
        let second = try XCTUnwrap(harness.createLead(phone: "+998902222222")["id"]?.string)
        _ = harness.ok("queue.claim_lead", claim(first, by: operatorA))
        XCTAssertEqual(harness.daemon.claimExpiry.armedFor, harness.clock.now + 60_000)
        harness.clock.advance(byMillis: 30_000)
        _ = harness.ok("queue.claim_lead", claim(second, by: operatorB))
        harness.clock.advance(byMillis: 30_000)
        harness.daemon.claimExpiry.expireDueClaims()
        XCTAssertEqual(try harness.query("SELECT status FROM leads WHERE id = ?", [.text(first)]).first?.string(at: 0), "pending")
        XCTAssertEqual(try harness.query("SELECT status FROM leads WHERE id = ?", [.text(second)]).first?.string(at: 0), "claimed")
        XCTAssertEqual(recorder.became.last?.id, first)
        XCTAssertEqual(harness.daemon.claimExpiry.armedFor, harness.clock.now + 30_000)
        let event = try XCTUnwrap(harness.query("SELECT actor, reason FROM lead_events WHERE lead_id = ? ORDER BY id DESC",
                                                [.text(first)]).first)
        XCTAssertEqual(event.string(at: 0), "system")
        XCTAssertTrue(event.string(at: 1).contains("expired"))
        harness.drain(until: { self.harness.events.contains { $0.type == "event.lead_status_changed" } })
        let published = try XCTUnwrap(harness.events.first { $0.type == "event.lead_status_changed" })
        XCTAssertEqual(published.body["actorId"], .null)
        XCTAssertEqual(published.body["to"], "pending")
    }

    func testTheTimerFiresByItself() throws {
        let id = try XCTUnwrap(harness.createLead(phone: "+998901111111")["id"]?.string)
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorA))
        harness.clock.advance(byMillis: 59_990)
        harness.daemon.claimExpiry.rearm()
        harness.clock.advance(byMillis: 10)
        XCTAssertTrue(harness.loop.run(until: {
            (try? self.harness.query("SELECT status FROM leads WHERE id = ?", [.text(id)]).first?.string(at: 0)) == "pending"
        }, timeout: 2))
    }

    func testOverdueClaimsExpireAtStartUpBeforeReady() throws {
        let id = try XCTUnwrap(harness.createLead(phone: "+998901111111")["id"]?.string)
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorA))
        harness.daemon.stop()
        harness.clock.advance(byMillis: 61_000)
        try harness.startDaemon()
        XCTAssertEqual(try harness.query("SELECT status FROM leads WHERE id = ?", [.text(id)]).first?.string(at: 0), "pending")
    }

    func testACorruptClaimTimeNeitherCrashesNorArmsForever() throws {
        let id = try XCTUnwrap(harness.createLead(phone: "+998901111111")["id"]?.string)
        _ = harness.ok("queue.claim_lead", claim(id, by: operatorA))
        try harness.daemon.db.run("UPDATE leads SET claimed_at = ? WHERE id = ?", [.int(Int64.max), .text(id)])
        harness.daemon.claimExpiry.rearm()
        XCTAssertEqual(harness.daemon.claimExpiry.armedFor, Int64.max)
        try harness.daemon.db.run("UPDATE leads SET claimed_at = ? WHERE id = ?", [.int(Int64.min), .text(id)])
        harness.daemon.claimExpiry.rearm()
        XCTAssertTrue(harness.loop.run(until: {
            (try? self.harness.query("SELECT status FROM leads WHERE id = ?", [.text(id)]).first?.string(at: 0)) == "pending"
        }, timeout: 2))
    }

}

private extension JSONObject {
    func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in other { merged[key] = value }
        return merged
    }
}
