/// Issue 11 §3: no command changes a lead without the scheduler hearing of it. The walk runs every
/// command the queue-daemon's server accepts (the list is read from the server, so a new command
/// fails here until it joins the walk) on a real daemon with the dispatcher installed and the
/// queue paused (nothing is dialed by itself), and after each one checks that the scheduler and
/// its census hold exactly the dispatchable leads SQL holds, with their priority and zones. Steps
/// that change the dispatchable set must visibly change the scheduler; the others must not.

import XCTest
import Shared
@testable import queue_daemon

final class AfterCommitCoverageTests: XCTestCase {
    private let admin = QueueDaemonHarness.admin

    private struct Step {
        let command: String
        /// The step changes which leads are dispatchable (or how they are queued).
        let changesDispatch: Bool
        let run: () throws -> Void
    }

    /// What the scheduler holds: id → (priority, zones).
    private func schedulerView(_ h: DispatchHarness) throws -> [LeadID: String] {
        var view: [LeadID: String] = [:]
        for entry in try h.dispatcher.reader.dispatchableEntries() {
            guard let held = h.dispatcher.scheduler.entry(id: entry.id) else { continue }
            view[entry.id] = "\(held.priority) \(held.zones)"
        }
        return view
    }

    /// The scheduler and its census agree with SQL's dispatchable leads.
    private func assertInStep(_ h: DispatchHarness, after command: String) throws {
        let expected = try h.dispatcher.reader.dispatchableEntries()
        let scheduler = h.dispatcher.scheduler
        XCTAssertEqual(scheduler.count, expected.count, "\(command): scheduler size differs from SQL")
        for entry in expected {
            let held = scheduler.entry(id: entry.id)
            XCTAssertNotNil(held, "\(command): lead \(entry.id) is dispatchable but not in the scheduler")
            XCTAssertEqual(held?.priority, entry.priority, "\(command): priority of \(entry.id)")
            XCTAssertEqual(held?.zones, entry.zones, "\(command): zones of \(entry.id)")
        }
        XCTAssertEqual(scheduler.census.zones.map(\.total).reduce(0, +), expected.count, "\(command): census")
    }

    private func phone(_ n: Int) -> String { "+99897\(1_000_000 + n)" }

    func testEveryQueueCommandKeepsTheSchedulerInStepWithTheStore() throws {
        let h = try DispatchHarness()
        QueueMetrics.install(on: h.daemon, dispatcher: h.dispatcher)  // as QueueDaemonLauncher does
        h.ok("queue.control", ["action": "pause_queue"])
        let op = try h.addOperator()
        h.dialer.server?.onCommand(DialerCommand.setDisposition) { request, reply in
            reply(.success(["call": .object(["id": request.body["callId"] ?? .null])]))
        }
        let a = h.lead(.medium), b = h.lead(.low), c = h.lead(.low), d = h.lead(.high), e = h.lead(.medium)
        func phoneOf(_ id: String) -> String { h.row(id)?.string("phone") ?? "" }
        let actor: JSONObject = ["actorId": .string(admin)]
        var importId = ""
        let rows: [JSON] = [[2, .string(phone(1)), "Imported", "", "medium", "", []]]
        let callId = ObjectID.generate(nowMillis: h.clock.nowMillis())

        let steps: [Step] = [
            Step(command: "queue.create_lead", changesDispatch: true) {
                h.ok("queue.create_lead", ["actorId": .string(self.admin), "phone": .string(self.phone(2))])
            },
            Step(command: "queue.update_lead", changesDispatch: true) {
                h.ok("queue.update_lead", ["actorId": .string(self.admin), "actorRole": "admin", "leadId": .string(a),
                                           "priority": "urgent"])
            },
            Step(command: "queue.claim_lead", changesDispatch: true) {
                h.ok("queue.claim_lead", ["actorId": .string(op), "leadId": .string(a)])
            },
            Step(command: "queue.release_lead", changesDispatch: true) {
                h.ok("queue.release_lead", ["actorId": .string(op), "leadId": .string(a)])
            },
            Step(command: "queue.bulk_action", changesDispatch: true) {
                h.ok("queue.bulk_action", ["actorId": .string(self.admin), "action": "update_priority",
                                           "leadIds": [.string(a), .string(b)], "data": ["priority": "high"]])
            },
            Step(command: "queue.delete_lead", changesDispatch: true) {
                h.ok("queue.delete_lead", ["actorId": .string(self.admin), "leadId": .string(b)])
            },
            Step(command: "queue.dnc_add", changesDispatch: true) {
                h.ok("queue.dnc_add", ["actorId": .string(self.admin), "phone": .string(phoneOf(a))])
            },
            Step(command: "queue.dnc_remove", changesDispatch: true) {
                h.ok("queue.dnc_remove", ["actorId": .string(self.admin), "phone": .string(phoneOf(a))])
            },
            Step(command: "queue.dnc_import", changesDispatch: true) {
                h.ok("queue.dnc_import", ["actorId": .string(self.admin), "rows": [[1, .string(phoneOf(c)), ""]]])
            },
            Step(command: "queue.import_begin", changesDispatch: false) {
                importId = h.ok("queue.import_begin", actor)["importId"]?.string ?? ""
            },
            Step(command: QueueCommand.importChunk.rawValue, changesDispatch: false) {
                h.ok(QueueCommand.importChunk.rawValue, ["importId": .string(importId), "rows": .array(rows)])
            },
            Step(command: "queue.import_commit", changesDispatch: true) {
                h.ok("queue.import_commit", ["importId": .string(importId)])
            },
            Step(command: "queue.import_abort", changesDispatch: false) {
                let id = h.ok("queue.import_begin", actor)["importId"]?.string ?? ""
                h.ok("queue.import_abort", ["importId": .string(id)])
            },
            Step(command: QueueCommand.startManualCall.rawValue, changesDispatch: true) {
                h.ok(QueueCommand.startManualCall.rawValue, ["actorId": .string(self.admin), "actorRole": "admin",
                                                    "leadId": .string(d), "operatorId": .string(op)])
            },
            Step(command: QueueCommand.setDisposition.rawValue, changesDispatch: true) {
                try h.dialer.insertCall(id: callId, leadId: e, operatorId: op, status: .completed)
                h.ok(QueueCommand.setDisposition.rawValue, ["actorId": .string(op), "actorRole": "operator",
                                                     "callId": .string(callId), "disposition": "wrong_number"])
            },
            Step(command: "queue.operator_changed", changesDispatch: false) {
                h.ok("queue.operator_changed", ["userId": .string(op)])
            },
            Step(command: "queue.control", changesDispatch: false) {
                h.ok("queue.control", ["action": "reset_stuck_leads", "actorId": .string(self.admin)])
                h.ok("queue.control", ["action": "get_queue_status"])
            },
            Step(command: QueueCommand.explain.rawValue, changesDispatch: false) {
                h.ok(QueueCommand.explain.rawValue, [:])
            },
            Step(command: QueueCommand.explainLeads.rawValue, changesDispatch: false) {
                h.ok(QueueCommand.explainLeads.rawValue, ["leadIds": [.string(a)]])
            },
            Step(command: QueueCommand.metrics.rawValue, changesDispatch: false) {
                h.ok(QueueCommand.metrics.rawValue, [:])
            },
        ]

        let accepted = try XCTUnwrap(h.daemon.server).commandTypes
        XCTAssertEqual(Set(steps.map(\.command)), Set(accepted), "every accepted command is walked, and only those")
        try assertInStep(h, after: "start")
        for step in steps {
            let before = try schedulerView(h)
            try step.run()
            try assertInStep(h, after: step.command)
            let after = try schedulerView(h)
            if step.changesDispatch {
                XCTAssertNotEqual(after, before, "\(step.command) was expected to change the dispatchable leads")
            } else {
                XCTAssertEqual(after, before, "\(step.command) changed the dispatchable leads")
            }
        }
    }

    /// The claim timer is not a command, but it writes leads: expired claims come back to the scheduler.
    func testExpiredClaimsReturnToTheScheduler() throws {
        let h = try DispatchHarness()
        h.ok("queue.control", ["action": "pause_queue"])
        let lead = h.lead(.medium)
        h.ok("queue.claim_lead", ["actorId": .string(QueueDaemonHarness.operatorA), "leadId": .string(lead)])
        XCTAssertFalse(h.dispatcher.scheduler.contains(id: lead))
        h.clock.advance(byMillis: Int64(h.daemon.config.claimTimeoutSeconds + 1) * 1000)
        h.daemon.claimExpiry.expireDueClaims()
        h.wait("claim expired") { h.status(lead) == "pending" }
        try assertInStep(h, after: "claim expiry")
        XCTAssertTrue(h.dispatcher.scheduler.contains(id: lead))
    }
}
