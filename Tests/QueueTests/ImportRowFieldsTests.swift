/// The compact `queue.import_chunk` row `[line, phone, name, email, priority, notes, tags]`
/// (`ImportRowFields`): it stages exactly what the object form stages, empty strings mean "absent",
/// every field is validated with the line named, the length is checked, and an import sent in
/// compact rows commits like one sent as objects.

import XCTest
import Shared
@testable import queue_daemon

final class ImportRowFieldsTests: XCTestCase {
    private func compact(_ line: Int64, _ phone: String, name: String = "", email: String = "", priority: String = "",
                         notes: String = "", tags: [JSON] = []) -> JSON {
        [.int(line), .string(phone), .string(name), .string(email), .string(priority), .string(notes), .array(tags)]
    }

    private func message(_ value: JSON) -> String? {
        do {
            _ = try ImportCommand.stagedRow(value, index: 0)
            return nil
        } catch let error as IPCError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    /// Seven elements, or eight with the time zone; six or nine are refused naming the count.
    func testARowOfSixOrNineElementsIsRefusedNamingTheCount() throws {
        guard case .array(let seven) = compact(9, "+998901234567") else { return XCTFail("a compact row is an array") }
        XCTAssertNil(message(.array(seven)))
        XCTAssertNil(message(.array(seven + [.string("")])))
        XCTAssertTrue(message(.array(Array(seven.dropLast())))?.contains("(got 6)") ?? false)
        XCTAssertTrue(message(.array(seven + [.string(""), .string("")]))?.contains("(got 9)") ?? false)
    }

    func testACompactRowStagesWhatTheObjectFormStages() throws {
        let array = try ImportCommand.stagedRow(compact(9, "+998901234567", name: " Ann ", email: "Ann@Example.UZ",
                                                        priority: "urgent", notes: "call", tags: ["hot", "hot", "vip"]),
                                                index: 0)
        let object = try ImportCommand.stagedRow(["line": 9, "phone": "+998901234567", "name": " Ann ",
                                                  "email": "Ann@Example.UZ", "priority": "urgent", "notes": "call",
                                                  "tags": ["hot", "hot", "vip"]], index: 0)
        XCTAssertEqual(array.line, 9)
        XCTAssertEqual(array.lead, object.lead)
        XCTAssertEqual(array.tagsColumn, object.tagsColumn)
        XCTAssertEqual(array.lead.email, "ann@example.uz")
    }

    func testEmptyFieldsMeanAbsent() throws {
        let staged = try ImportCommand.stagedRow(compact(2, "+998901234567"), index: 0)
        XCTAssertEqual(staged.lead, NewLead(contact: LeadContact(phone: "+998901234567")))
        XCTAssertEqual(staged.lead.priority, .medium)
    }

    func testBadRowsAreRefusedNamingTheLine() {
        XCTAssertEqual(message(compact(4, "12345"))?.hasPrefix("line 4:"), true)
        XCTAssertEqual(message(compact(5, "+998901234567", email: "not-an-email"))?.hasPrefix("line 5:"), true)
        XCTAssertEqual(message(compact(6, "+998901234567", priority: "meh"))?.hasPrefix("line 6:"), true)
        XCTAssertEqual(message(compact(7, "+998901234567", tags: [1]))?.hasPrefix("line 7:"), true)
        XCTAssertEqual(message([8, "+998901234567", "", "", "", "", "tags"])?.hasPrefix("line 8:"), true)
        XCTAssertEqual(message([9, 998901234567, "", "", "", "", []])?.hasPrefix("line 9:"), true)
        XCTAssertNotNil(message(compact(0, "+998901234567")))
        XCTAssertNotNil(message(["2", "+998901234567", "", "", "", "", []]))
        XCTAssertEqual(message([2, "+998901234567", "", "", "", ""])?.contains("7 elements"), true)
        XCTAssertNil(message([2, "+998901234567", "", "", "", "", [], ""]))  // 8th element: empty time zone = none
        XCTAssertEqual(message([2, "+998901234567", "", "", "", "", [], "Mars/Base"])?.contains("timezone"), true)
        XCTAssertNotNil(message([2, "+998901234567", "", "", "", "", [], "", ""]))
        XCTAssertNotNil(message("x"))
    }

    func testAnImportInCompactRowsCommits() throws {
        let harness = try QueueDaemonHarness()
        harness.createLead(phone: "+998931000003")
        guard case .success(let begun) = harness.call("queue.import_begin", ["actorId": .string(QueueDaemonHarness.admin)]) else {
            return XCTFail("import_begin failed")
        }
        let importId = try XCTUnwrap(begun["importId"]?.string)
        let rows: [JSON] = (0..<6).map { compact(Int64($0 + 2), "+99893100000\($0)", name: "Lead \($0)", tags: ["csv"]) }
        let reply = harness.ok("queue.import_chunk", ["importId": .string(importId), "rows": .array(rows)])
        XCTAssertEqual(reply["received"], .int(6))
        let result = harness.ok("queue.import_commit", ["importId": .string(importId)])
        XCTAssertEqual(result["successCount"], .int(5))
        XCTAssertEqual(result["duplicateLines"], [5])
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE source = 'csv_upload' AND tags = '[\"csv\"]'"), 5)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM lead_events WHERE reason = 'csv_import'"), 5)
    }
}
