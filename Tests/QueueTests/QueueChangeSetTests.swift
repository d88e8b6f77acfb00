/// `QueueChangeSet` (what a queue transaction changed) from a table, and `LeadStore.transaction`
/// on a real daemon's store: every write lands in the change set with the lead's state after the
/// commit, events published inside go with it, a nested transaction adds to the outer one, and a
/// rollback hands nothing over.

import XCTest
import Shared
@testable import queue_daemon

final class QueueChangeSetTests: XCTestCase {
    private let ids = (1...4).map { String(format: "%024x", $0) }

    private func lead(_ n: Int, _ status: LeadStatus = .pending, doNotCall: Bool = false,
                      callbackOperator: String? = nil) -> LeadSnapshot {
        LeadSnapshot(id: ids[n], status: status, createdAt: 0, doNotCall: doNotCall, callbackOperator: callbackOperator)
    }

    func testEnteredAndLeftFollowTheStateAfterTheLastWrite() {
        // (writes in order, entered ids, left ids)
        let table: [([LeadSnapshot], [Int], [Int])] = [
            ([], [], []),
            ([lead(0)], [0], []),
            ([lead(0, .claimed)], [], [0]),
            ([lead(0), lead(0, .claimed)], [], [0]),
            ([lead(0, .claimed), lead(0)], [0], []),
            ([lead(0), lead(1, doNotCall: true), lead(2, callbackOperator: "x"), lead(3, .calling)], [0], [1, 2, 3]),
            ([lead(1), lead(0), lead(1, .failed)], [0], [1]),
        ]
        for (writes, entered, left) in table {
            var changes = QueueChangeSet()
            for write in writes { changes.record(write) }
            XCTAssertEqual(changes.entered.map(\.id), entered.map { ids[$0] }, "\(writes.map(\.status))")
            XCTAssertEqual(changes.left, left.map { ids[$0] }, "\(writes.map(\.status))")
            XCTAssertEqual(changes.isEmpty, writes.isEmpty)
        }
    }

    func testTouchedLeadsWaitForTheirStateAndVanishedOnesAreDropped() {
        var changes = QueueChangeSet()
        changes.touched(ids[0])
        changes.record(lead(1))
        changes.touched(ids[1])
        changes.touched(ids[2])
        XCTAssertEqual(changes.unresolved, [ids[0], ids[1], ids[2]])
        XCTAssertEqual(changes.entered.map(\.id), [], "an unresolved lead is neither entered nor left")
        changes.resolve(ids[0], as: lead(0, .claimed))
        changes.resolve(ids[1], as: lead(1))
        changes.resolve(ids[2], as: nil)
        XCTAssertEqual(changes.unresolved, [])
        XCTAssertEqual(changes.entered.map(\.id), [ids[1]])
        XCTAssertEqual(changes.left, [ids[0]])
    }

    func testImportedLeadsEnterUnlessFlagged() {
        var changes = QueueChangeSet.inserted([lead(0), lead(1, doNotCall: true)])
        changes.publish(.leadsImported, ["count": 2])
        XCTAssertEqual(changes.entered.map(\.id), [ids[0]])
        XCTAssertEqual(changes.left, [ids[1]])
        XCTAssertEqual(changes.events, [QueueChangeSet.Event(type: .leadsImported, body: ["count": 2])])
    }

    func testStoreTransactionCollectsWritesAndEventsAndDropsThemOnRollback() throws {
        let harness = try QueueDaemonHarness()
        let daemon = try XCTUnwrap(harness.daemon)
        let store = daemon.store
        let first = try XCTUnwrap(harness.createLead(phone: "+998901110001")["id"]?.string)
        let second = try XCTUnwrap(harness.createLead(phone: "+998901110002")["id"]?.string)
        let now = harness.clock.nowMillis()
        XCTAssertNil(store.changes, "nothing is collected outside a transaction")

        let (_, changes) = try store.transaction { () throws -> Void in
            _ = try store.claim(id: first, operatorId: QueueDaemonHarness.operatorA, now: now)
            daemon.events.publish(.leadCreated, ["n": 1])
            struct Refused: Error {}
            XCTAssertThrowsError(try store.transaction { () throws -> Void in
                _ = try store.claim(id: second, operatorId: QueueDaemonHarness.operatorA, now: now)
                throw Refused()
            })
            let (_, nested) = try store.transaction { () throws -> Void in
                daemon.events.publish(.leadUpdated, [:])
            }
            XCTAssertTrue(nested.isEmpty, "a nested transaction's changes go to the outer one")
        }
        XCTAssertNil(store.changes)
        XCTAssertEqual(changes.left, [first], "the rolled-back claim of the second lead is not reported")
        XCTAssertEqual(changes.entered.map(\.id), [])
        XCTAssertEqual(changes.events.map(\.type), [.leadCreated, .leadUpdated])
        XCTAssertEqual(try store.record(id: second)?.status, .pending)

        struct Failed: Error {}
        XCTAssertThrowsError(try store.transaction { () throws -> Void in
            daemon.events.publish(.leadDeleted, [:])
            throw Failed()
        })
        XCTAssertNil(store.changes)
        // A later command's event comes after anything published before it (one connection, in order).
        let third = try XCTUnwrap(harness.createLead(phone: "+998901110003")["id"]?.string)
        harness.drain(until: { harness.events.contains { $0.type == "event.lead_created" && $0.body["lead"]?["id"]?.string == third } },
                      timeout: 5)
        XCTAssertTrue(harness.events.contains { $0.body["lead"]?["id"]?.string == third }, "the fence event arrived")
        XCTAssertFalse(harness.eventTypes().contains("event.lead_deleted"), "a rolled-back transaction publishes nothing")
    }
}
