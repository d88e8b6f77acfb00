/// CSV import rows inserted while chunks arrive (`ImportTransaction`): the first chunk opens the
/// transaction and takes the write gate; other writes wait and then run; `queue.import_abort`, the
/// transaction time limit and a closed connection roll everything back and open the gate; a second
/// import that finds the gate held stages in memory and commits after the first.

import XCTest
@testable import Shared
@testable import queue_daemon

final class CommandImportTransactionTests: QueueDaemonTestCase {
    private func rows(_ range: Range<Int>) -> JSON {
        .array(range.map { n in
            ["line": .int(Int64(n + 2)), "phone": .string("+99894\(1_000_000 + n)"), "name": "", "email": "",
             "priority": "high", "notes": "", "tags": []]
        })
    }

    private func begin() throws -> String {
        try XCTUnwrap(harness.ok("queue.import_begin", ["actorId": .string(admin)])["importId"]?.string)
    }

    private func gateOpens() -> Bool {
        harness.loop.run(until: { !self.harness.daemon.writeGate.isHeld }, timeout: 5)
    }

    func testTheFirstChunkOpensTheTransactionAndWritesWaitForTheCommit() throws {
        let importId = try begin()
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": rows(0..<1_000)])
        XCTAssertNotNil(harness.daemon.imports.session(id: importId)?.transaction)
        XCTAssertTrue(harness.daemon.writeGate.isHeld)
        var create: Result<JSONObject, IPCError>?
        harness.defaultClient.request(type: "queue.create_lead",
                                      body: ["actorId": .string(admin), "phone": "+998941000999"]) { create = $0 }
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": rows(1_000..<2_000)])
        XCTAssertNil(create, "a write waits while the import's transaction is open")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0, "uncommitted rows are not visible")
        let result = harness.ok("queue.import_commit", ["importId": .string(importId)])
        XCTAssertEqual(result["successCount"], .int(2_000))
        XCTAssertTrue(harness.loop.run(until: { create != nil }, timeout: 5))
        guard case .failure(let duplicate) = create else { return XCTFail("the create ran before the import") }
        XCTAssertEqual(duplicate.code, "duplicate_phone")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE reason = 'csv_import'"), 2_000)
        XCTAssertFalse(harness.daemon.writeGate.isHeld)
    }

    func testAbortRollsBackAndOpensTheGate() throws {
        let importId = try begin()
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": rows(0..<500)])
        let reply = harness.ok("queue.import_abort", ["importId": .string(importId)])
        XCTAssertEqual(reply["aborted"], .bool(true))
        XCTAssertTrue(gateOpens())
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
        harness.fails("queue.import_commit", ["importId": .string(importId)], status: 404, code: "import_not_found")
        harness.fails("queue.import_abort", ["importId": .string(importId)], status: 404, code: "import_not_found")
        harness.createLead(phone: "+998941000001")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 1, "writes run again after the rollback")
    }

    func testATransactionOpenTooLongIsRolledBack() throws {
        XCTAssertEqual(ImportStaging.maxTransactionSeconds, 60)
        let importId = try begin()
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": rows(0..<10)])
        let session = try XCTUnwrap(harness.daemon.imports.session(id: importId))
        harness.daemon.imports.limitTransaction(session, seconds: 0.05)
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon.imports.openCount == 0 }, timeout: 2))
        XCTAssertTrue(gateOpens())
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
        XCTAssertTrue(harness.logs.lines.contains { $0.contains("transaction was open") })
    }

    func testAClosedConnectionRollsBackTheTransaction() throws {
        let gateway = harness.client()
        guard case .success(let begun) = harness.call("queue.import_begin", ["actorId": .string(admin)], on: gateway),
              let importId = begun["importId"]?.string else { return XCTFail("begin failed") }
        guard case .success = harness.call("queue.import_chunk", ["importId": .string(importId), "rows": rows(0..<100)],
                                           on: gateway) else { return XCTFail("chunk refused") }
        XCTAssertTrue(harness.daemon.writeGate.isHeld)
        gateway.stop()
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon.imports.openCount == 0 }, timeout: 2))
        XCTAssertTrue(gateOpens())
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
    }

    func testASecondImportStagesInMemoryAndCommitsAfterTheFirst() throws {
        let first = try begin()
        let second = try begin()
        _ = harness.ok("queue.import_chunk", ["importId": .string(first), "rows": rows(0..<300)])
        _ = harness.ok("queue.import_chunk", ["importId": .string(second), "rows": rows(200..<400)])
        XCTAssertNil(harness.daemon.imports.session(id: second)?.transaction)
        XCTAssertEqual(harness.daemon.imports.session(id: second)?.rows.count, 200)
        var late: Result<JSONObject, IPCError>?
        harness.defaultClient.request(type: "queue.import_commit", body: ["importId": .string(second)]) { late = $0 }
        let early = harness.ok("queue.import_commit", ["importId": .string(first)])
        XCTAssertEqual(early["successCount"], .int(300))
        XCTAssertTrue(harness.loop.run(until: { late != nil }, timeout: 5))
        guard case .success(let result) = late else { return XCTFail("second commit failed: \(String(describing: late))") }
        XCTAssertEqual(result["successCount"], .int(100))
        XCTAssertEqual(result["duplicateCount"], .int(100))
        XCTAssertTrue(gateOpens())
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 400)
    }
}
