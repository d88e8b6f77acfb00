/// CSV import over IPC (`queue.import_begin` / `import_chunk` / `import_commit`): counts and
/// duplicate lines with duplicates in the database (soft-deleted included) and in the file, all
/// or nothing when the connection closes or the import idles, the chunk and size limits, row
/// validation, connection scoping, and writes queued (not blocked) while a commit runs.

import XCTest
@testable import Shared
@testable import queue_daemon

final class CommandImportTests: QueueDaemonTestCase {
    private func row(_ line: Int, phone: String, priority: String = "low") -> JSON {
        ["line": .int(Int64(line)), "phone": .string(phone), "name": .string("Lead \(line)"), "email": "",
         "priority": .string(priority), "notes": "", "tags": ["csv"]]
    }

    private func phone(_ n: Int) -> String { "+99893\(1_000_000 + n)" }

    private func begin(on client: IPCClient? = nil) throws -> String {
        guard case .success(let reply) = harness.call("queue.import_begin", ["actorId": .string(admin)], on: client) else {
            XCTFail("import_begin failed")
            return ""
        }
        return try XCTUnwrap(reply["importId"]?.string)
    }

    func testTenThousandRowsInChunksWithDuplicatesInTheDatabaseAndTheFile() throws {
        let recorder = DispatchRecorder()
        harness.daemon.dispatch = recorder
        for n in [10, 20, 30] { harness.createLead(phone: phone(n)) }
        let deleted = try XCTUnwrap(harness.createLead(phone: phone(40))["id"]?.string)
        _ = harness.ok("queue.delete_lead", ["actorId": .string(admin), "leadId": .string(deleted)])
        let importId = try begin()
        var rows: [JSON] = (0..<10_000).map { row($0 + 2, phone: phone($0)) }
        rows[9_999] = row(10_001, phone: phone(5))       // repeats line 7 of the same file
        for start in stride(from: 0, to: rows.count, by: 2_500) {
            let reply = harness.ok("queue.import_chunk", ["importId": .string(importId),
                                                          "rows": .array(Array(rows[start..<(start + 2_500)]))])
            XCTAssertEqual(reply["received"], .int(2_500))
            XCTAssertEqual(reply["total"], .int(Int64(start + 2_500)))
        }
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 4, "nothing is written before the commit")
        let result = harness.ok("queue.import_commit", ["importId": .string(importId)])
        XCTAssertEqual(result["successCount"], .int(9_995))
        XCTAssertEqual(result["duplicateCount"], .int(5))
        XCTAssertEqual(result["duplicateLines"], [12, 22, 32, 42, 10_001])
        XCTAssertEqual(result["duplicateLinesTruncated"], .bool(false))
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE source = 'csv_upload' AND status = 'pending'"), 9_995)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE reason = 'csv_import' AND actor = ?",
                                         [.text(admin)]), 9_995)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE priority_rank = 3 AND tags = '[\"csv\"]'"), 9_995)
        XCTAssertEqual(recorder.became.count, 4 + 9_995)
        harness.drain(until: { self.harness.eventTypes().contains("event.leads_imported") })
        let event = try XCTUnwrap(harness.events.first { $0.type == "event.leads_imported" })
        XCTAssertEqual(event.body["count"], .int(9_995))
        XCTAssertEqual(event.body["actorId"]?.string, admin)
        harness.fails("queue.import_commit", ["importId": .string(importId)], status: 404, code: "import_not_found")
    }

    func testAConnectionClosedMidImportLeavesNoRows() throws {
        let gateway = harness.client()
        let importId = try begin(on: gateway)
        let chunk: JSONObject = ["importId": .string(importId), "rows": .array((0..<100).map { row($0 + 2, phone: phone($0)) })]
        guard case .success = harness.call("queue.import_chunk", chunk, on: gateway) else { return XCTFail("chunk refused") }
        XCTAssertEqual(harness.daemon.imports.stagedRowCount, 100)
        gateway.stop()
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon.imports.openCount == 0 }, timeout: 2))
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
        XCTAssertTrue(harness.logs.lines.contains { $0.contains("import \(importId) discarded") })
        harness.fails("queue.import_commit", ["importId": .string(importId)], status: 404)
    }

    func testAnIdleImportIsDiscarded() throws {
        var options = harness.options
        options.importIdleSeconds = 0.05
        harness = try QueueDaemonHarness(options: options)
        let importId = try begin()
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": [row(2, phone: phone(1))]])
        XCTAssertTrue(harness.loop.run(until: { self.harness.daemon.imports.openCount == 0 }, timeout: 2))
        harness.fails("queue.import_commit", ["importId": .string(importId)], status: 404, code: "import_not_found")
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads"), 0)
    }

    func testOtherConnectionsCannotTouchAnImport() throws {
        let importId = try begin(on: harness.client())
        let other = harness.client()
        guard case .failure(let error) = harness.call("queue.import_commit", ["importId": .string(importId)], on: other) else {
            return XCTFail("another connection committed the import")
        }
        XCTAssertEqual(error.code, "import_not_found")
    }

    func testChunkLimitsAndRowValidation() throws {
        let importId = try begin()
        let tooBig = (0...ImportStaging.maxRowsPerChunk).map { row($0 + 2, phone: phone($0)) }
        harness.fails("queue.import_chunk", ["importId": .string(importId), "rows": .array(tooBig)], status: 413,
                      code: "import_too_large")
        let bad = harness.fails("queue.import_chunk", ["importId": .string(importId),
                                                       "rows": [row(2, phone: phone(1)), row(3, phone: "12345")]],
                                status: 400, code: "validation_failed")
        XCTAssertTrue(bad?.message.hasPrefix("line 3:") ?? false, "\(String(describing: bad))")
        harness.fails("queue.import_chunk", ["importId": .string(importId), "rows": [["phone": .string(phone(1))]]],
                      status: 400)
        harness.fails("queue.import_chunk", ["importId": .string(importId), "rows": ["x"]], status: 400)
        harness.fails("queue.import_chunk", ["importId": .string(importId), "rows": [row(2, phone: phone(1), priority: "meh")]],
                      status: 400)
        harness.fails("queue.import_chunk", ["importId": "0123456789abcdef01234567", "rows": []], status: 404)
        XCTAssertEqual(harness.daemon.imports.stagedRowCount, 0, "a refused chunk stages nothing")
        let empty = harness.ok("queue.import_commit", ["importId": .string(importId)])
        XCTAssertEqual(empty["successCount"], .int(0))
    }

    func testOpenImportsAreCapped() throws {
        for _ in 0..<ImportStaging.maxOpenImports { _ = try begin() }
        harness.fails("queue.import_begin", ["actorId": .string(admin)], status: 429, code: "too_many_imports")
    }

    func testWritesSentDuringACommitWaitForItAndThenRun() throws {
        let importId = try begin()
        let rows = (0..<3_000).map { row($0 + 2, phone: phone($0)) }
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": .array(rows)])
        var commit: Result<JSONObject, IPCError>?
        var create: Result<JSONObject, IPCError>?
        harness.defaultClient.request(type: "queue.import_commit", body: ["importId": .string(importId)]) { commit = $0 }
        harness.defaultClient.request(type: "queue.create_lead",
                                      body: ["actorId": .string(admin), "phone": .string(phone(2_999))]) { create = $0 }
        XCTAssertTrue(harness.loop.run(until: { commit != nil && create != nil }, timeout: 30))
        guard case .success(let imported) = commit else { return XCTFail("commit failed: \(String(describing: commit))") }
        XCTAssertEqual(imported["successCount"], .int(3_000))
        guard case .failure(let duplicate) = create else { return XCTFail("the create ran before the import") }
        XCTAssertEqual(duplicate.code, "duplicate_phone")
        XCTAssertFalse(harness.daemon.writeGate.isHeld)
    }

    func testTheWriteGateQueuesWritesWithoutBlockingTheLoop() throws {
        harness.daemon.writeGate.hold()
        var create: Result<JSONObject, IPCError>?
        var status: Result<JSONObject, IPCError>?
        harness.defaultClient.request(type: "queue.create_lead",
                                      body: ["actorId": .string(admin), "phone": .string(phone(1))]) { create = $0 }
        harness.defaultClient.request(type: "queue.control", body: ["action": "get_queue_status"]) { status = $0 }
        XCTAssertTrue(harness.loop.run(until: { status != nil }, timeout: 2), "reads are not gated")
        XCTAssertNil(create)
        XCTAssertEqual(harness.daemon.writeGate.waitingCount, 1)
        harness.daemon.writeGate.release()
        XCTAssertTrue(harness.loop.run(until: { create != nil }, timeout: 2))
        guard case .success = create else { return XCTFail("create failed: \(String(describing: create))") }
    }

    func testTheImportSizeLimitAndTheNamedConstants() throws {
        XCTAssertEqual(ImportStaging.maxRowsPerChunk, 5_000)
        XCTAssertEqual(ImportStaging.defaultIdleSeconds, 300)
        let importId = try begin()
        let session = try XCTUnwrap(harness.daemon.imports.session(id: importId))
        session.append(Array(repeating: StagedLead(line: 2, lead: NewLead(contact: LeadContact(phone: phone(0)))),
                             count: 499_999))  // one row short of the 500,000 limit
        _ = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": [row(3, phone: phone(1))]])
        harness.fails("queue.import_chunk", ["importId": .string(importId), "rows": [row(4, phone: phone(2))]],
                      status: 413, code: "import_too_large")
    }

    func testTheReplyListsAtMostTenThousandDuplicateLines() {
        var outcome = ImportOutcome()
        outcome.duplicateLines = Array(1...(LeadImportWriter.maxDuplicateLinesReported + 1))
        outcome.duplicateCount = outcome.duplicateLines.count
        let body = ImportCommand.replyBody(outcome, importId: "i")
        XCTAssertEqual(body["duplicateLines"]?.array?.count, 10_000)
        XCTAssertEqual(body["duplicateLinesTruncated"], .bool(true))
        XCTAssertEqual(body["duplicateCount"], .int(10_001))
    }
}
