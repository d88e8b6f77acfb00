/// `ImportChunkDecoder`: the compact chunk read from bytes gives the same rows as the `JSON`
/// path, anything else is left to the `JSON` path, and chunks sent over IPC take the byte path
/// with the same answers.

import XCTest
import Shared
@testable import queue_daemon

final class ImportChunkDecoderTests: XCTestCase {
    private func compactRow(_ line: Int64, _ phone: String, name: String = "", email: String = "", priority: String = "",
                            notes: String = "", tags: [String] = []) -> JSON {
        .array([.int(line), .string(phone), .string(name), .string(email), .string(priority), .string(notes),
                .array(tags.map(JSON.string))])
    }

    private func decode(_ body: JSONObject) -> ImportChunkDecoder.Chunk? {
        let frame = IPCMessage(type: QueueCommand.importChunk.rawValue, id: 1, body: body).encoded().dropFirst(IPCFrameDecoder.headerBytes)
        guard let message = IPCRawRequest.message(frame: Array(frame), types: [QueueCommand.importChunk.rawValue]),
              let raw = message.raw else { return nil }
        return ImportChunkDecoder.decode(raw)
    }

    func testCompactRowsDecodeToWhatTheJSONPathReads() throws {
        let rows: [JSON] = [
            compactRow(2, "+998901234567"),
            compactRow(3, "+998901234568", name: "Ünïcode \"q\" \\ \t\u{1}", email: "A@B.UZ", priority: "HIGH",
                       notes: "line\nbreak", tags: ["a\"b", " c ", "a\"b"]),
            compactRow(2_147_483_647, "12345", tags: []),  // invalid phone: read here, refused by validation
        ]
        let chunk = try XCTUnwrap(decode(["importId": "imp", "rows": .array(rows)]))
        XCTAssertEqual(chunk.importId, "imp")
        XCTAssertEqual(chunk.rows.count, 3)
        for (index, (fields, json)) in zip(chunk.rows, rows).enumerated() {
            let viaBytes = Result { try ImportRowFields.stagedRow(fields, index: index) }
            let viaJSON = Result { try ImportRowFields.stagedRow(json.array!, index: index) }
            switch (viaBytes, viaJSON) {
            case (.success(let a), .success(let b)):
                XCTAssertEqual(a.line, b.line)
                XCTAssertEqual(a.lead, b.lead)
                XCTAssertEqual(a.tagsColumn, b.tagsColumn)
            case (.failure(let a as IPCError), .failure(let b as IPCError)):
                XCTAssertEqual(a, b)
            default:
                XCTFail("row \(index): \(viaBytes) vs \(viaJSON)")
            }
        }
        XCTAssertEqual(chunk.rows[1].tags, ["a\"b", " c ", "a\"b"], "read as sent; validation trims and de-duplicates")
        XCTAssertEqual(decode(["importId": "imp", "rows": []])?.rows, [])
    }

    func testOtherShapesAreLeftToTheJSONPath() {
        let row = compactRow(2, "+998901234567")
        XCTAssertNil(decode(["rows": [row], "importId": "imp"]), "keys in another order")
        XCTAssertNil(decode(["importId": "imp", "rows": [["line": 2, "phone": "+998901234567"]]]), "object rows")
        XCTAssertNil(decode(["importId": "imp", "rows": [row], "extra": true]), "an extra key")
        XCTAssertNil(decode(["importId": "imp", "rows": [.array([2, "+998901234567"])]]), "a short row")
        XCTAssertNil(decode(["importId": "imp", "rows": [.array([2.5, "+998901234567", "", "", "", "", []])]]), "a fractional line")
        XCTAssertNil(decode(["importId": 5, "rows": [row]]))
    }

    func testChunksOverIPCTakeTheBytePathWithTheSameAnswers() throws {
        let harness = try QueueDaemonHarness()
        let importId = try XCTUnwrap(harness.ok("queue.import_begin", ["actorId": .string(QueueDaemonHarness.admin)])["importId"]?.string)
        let good = harness.ok(QueueCommand.importChunk.rawValue, ["importId": .string(importId),
                                                         "rows": [compactRow(2, "+998901234567", email: "A@B.UZ", tags: ["x"])]])
        XCTAssertEqual(good["total"], 1)
        let bad = harness.fails(QueueCommand.importChunk.rawValue, ["importId": .string(importId),
                                                          "rows": [compactRow(2, "+998901234568"), compactRow(3, "12345")]],
                                status: 400, code: "validation_failed")
        XCTAssertTrue(bad?.message.hasPrefix("line 3:") ?? false, "\(String(describing: bad))")
        harness.fails(QueueCommand.importChunk.rawValue, ["importId": "0123456789abcdef01234567",
                                                "rows": [compactRow(2, "+998901234569")]], status: 404, code: "import_not_found")
        let committed = harness.ok("queue.import_commit", ["importId": .string(importId)])
        XCTAssertEqual(committed["successCount"], 1)
        XCTAssertEqual(try harness.count("SELECT COUNT(*) FROM leads WHERE email = 'a@b.uz' AND tags = '[\"x\"]'"), 1)
    }
}
