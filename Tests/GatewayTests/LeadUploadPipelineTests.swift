import Foundation
import XCTest
@testable import api_gateway
@testable import Shared

/// The pieces of the CSV upload without sockets: `LeadUploadForm` (field, type and size rules),
/// `LeadUploadBatch` (counts, capped error list, chunks within the row and byte limits) and
/// `LeadUploadImport` (begin → windowed chunks → commit, first error wins, nothing after it) and
/// `HeapTrimmer` (heap trim after large uploads).
final class LeadUploadPipelineTests: XCTestCase {
    // MARK: Batch

    /// The rows of a serialised chunk.
    private func rowsOf(_ chunk: [UInt8]) -> [JSON] {
        guard let rows = (try? JSON.parse(chunk))?.array else {
            XCTFail("a chunk is not a JSON array: \(String(decoding: chunk.prefix(80), as: UTF8.self))")
            return []
        }
        return rows
    }

    func testChunkLimitsAreNamedAndWellUnderTheFrameLimit() {
        XCTAssertEqual(LeadUploadBatch.maxChunkBytes, 512 * 1024)
        XCTAssertLessThanOrEqual(LeadUploadBatch.maxChunkBytes * 2, IPCLimits.maxFrameBytes)
    }

    func testRowsAreChunkedByCount() {
        let rows = (0..<4_500).map { LeadImportRow(line: $0 + 2, phone: "+99890\(String(format: "%07d", $0))") }
        let chunks = LeadUploadBatch.chunk(rows).map(rowsOf)
        XCTAssertEqual(chunks.map(\.count), [2_000, 2_000, 500])
        XCTAssertEqual(chunks[2].last?.array?.first?.int, 4_501)
    }

    func testRowsAreChunkedByBytesAndEveryChunkFitsAFrame() {
        let notes = String(repeating: "\u{1}\"", count: 250)  // worst case escaping
        let rows = (0..<2_000).map {
            LeadImportRow(line: $0 + 2, phone: "+99890\(String(format: "%07d", $0))", name: String(repeating: "n", count: 100),
                          notes: notes, tags: (0..<20).map { "tag\($0)" + String(repeating: "\\", count: 40) })
        }
        let chunks = LeadUploadBatch.chunk(rows)
        XCTAssertGreaterThan(chunks.count, 1)
        XCTAssertEqual(chunks.map(rowsOf).reduce(0) { $0 + $1.count }, 2_000)
        for chunk in chunks {
            XCTAssertLessThanOrEqual(chunk.count, LeadUploadBatch.maxChunkBytes)
            let frame = IPCMessage.encodedRequest(type: "queue.import_chunk", id: 1,
                                                  rawBody: LeadUploadImport.chunkBody(importID: "x", rows: chunk))
            XCTAssertLessThanOrEqual(frame.count - IPCFrameDecoder.headerBytes, IPCLimits.maxFrameBytes)
        }
        XCTAssertGreaterThan(chunks.dropLast().map(\.count).min() ?? 0, LeadUploadBatch.maxChunkBytes - 4_096,
                             "chunks are cut by their exact size, not a loose estimate")
    }

    func testWrittenRowsParseBackExactly() throws {
        let row = LeadImportRow(line: 123_456, phone: "+998901234567", name: "Ünïcode \"q\" \\ \t",
                                email: "a@b.uz", priority: .urgent, notes: "line\nbreak\u{1}", tags: ["a\"b", "c"])
        var out: [UInt8] = []
        LeadUploadBatch.writeRow(row, into: &out)
        XCTAssertEqual(try JSON.parse(out), [123_456, "+998901234567", "Ünïcode \"q\" \\ \t", "a@b.uz", "urgent",
                                                  "line\nbreak\u{1}", ["a\"b", "c"]])
        out = []
        LeadUploadBatch.writeRow(LeadImportRow(line: 2, phone: "+998901234568"), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"[2,"+998901234568","","","medium","",[]]"#)
    }

    func testErrorListIsCappedWithASummaryEntry() {
        let errors = (0..<1_005).map { LeadRowError(line: $0 + 2, message: "Invalid phone number: x") }
        let listed = LeadUploadBatch.listedErrors(errors)
        XCTAssertEqual(listed.count, 1_001)
        XCTAssertEqual(listed.first, "Line 2: Invalid phone number: x")
        XCTAssertEqual(listed.last, "… and 5 more")
    }

    func testPrepareCountsAddUp() {
        let csv = Array("phone\n+998901234501\nbad\n+998901234501\n\n+998901234502\n".utf8)
        let batch = LeadUploadBatch.prepare(csv: csv, defaultCountryCode: "998")
        XCTAssertNil(batch.fileError)
        XCTAssertEqual(batch.totalProcessed, 4)
        XCTAssertEqual(batch.rowCount, 2)
        XCTAssertEqual(batch.errorCount, 1)
        XCTAssertEqual(batch.inFileDuplicateCount, 1)
        let body = LeadUploadRoute.response(batch, outcome: .init(successCount: 1, duplicateCount: 1, duplicateLines: [6]))
        XCTAssertEqual(body["summary"]?.object, ["totalProcessed": 4, "successCount": 1, "duplicateCount": 2, "errorCount": 1,
                                                      "doNotCallCount": 0])
        XCTAssertEqual(body["errors"], ["Line 3: Invalid phone number: bad"])
    }

    func testEmailsTheGatewayWouldRefuseBecomeLineErrors() {
        let csv = Array("phone,email\n+998901234501,Ann@Example.UZ\n+998901234502,a@b.c\nbad,x@y.uz\n+998901234503,\n".utf8)
        let batch = LeadUploadBatch.prepare(csv: csv, defaultCountryCode: "998")
        XCTAssertEqual(batch.totalProcessed, 4)
        XCTAssertEqual(batch.rowCount, 2)
        XCTAssertEqual(batch.errorCount, 2)
        XCTAssertEqual(batch.errors, ["Line 3: Invalid email \"a@b.c\"", "Line 4: Invalid phone number: bad"])
        let rows = batch.chunks.first.map(rowsOf) ?? []
        XCTAssertEqual(rows.map { $0.array?[3].string }, ["ann@example.uz", ""])
        XCTAssertEqual(rows.last, [5, "+998901234503", "", "", "medium", "", []])
    }

    func testStreamingHandsChunksOverInFileOrderAndCountsLikeTheWholeRead() {
        var text = "phone,email\n"
        for n in 0..<5_000 {
            switch n % 1_000 {
            case 7: text += "bad\(n),\n"
            case 8: text += "+99890\(String(format: "%07d", n - 2)),\n"  // repeats the row two lines up
            case 9: text += "+99890\(String(format: "%07d", n)),a@b.c\n"   // the gateway's email rule refuses it
            default: text += "+99890\(String(format: "%07d", n)),\n"
            }
        }
        let csv = Array(text.utf8)
        var chunks: [[UInt8]] = []
        let streamed = csv.withUnsafeBytes { bytes in
            LeadUploadBatch.prepare(csv: bytes, defaultCountryCode: "998") { chunks.append($0); return true }
        }
        let whole = LeadUploadBatch.prepare(csv: csv, defaultCountryCode: "998")
        XCTAssertEqual(chunks.count, 3, "one chunk per 2,000 rows read")
        XCTAssertTrue(chunks.allSatisfy { rowsOf($0).count <= 2_000 })
        XCTAssertEqual(chunks, whole.chunks)
        let lines = chunks.map(rowsOf).joined().compactMap { $0.array?.first?.int }
        XCTAssertEqual(lines, lines.sorted())
        XCTAssertEqual(streamed.totalProcessed, 5_000)
        XCTAssertEqual(streamed.rowCount, 4_985)
        XCTAssertEqual(streamed.errorCount, 10)
        XCTAssertEqual(streamed.inFileDuplicateCount, 5)
        XCTAssertEqual(streamed.errors, whole.errors)
        XCTAssertEqual(streamed.errors.first, "Line 9: Invalid phone number: bad7")
        XCTAssertEqual(streamed.errors[1], "Line 11: Invalid email \"a@b.c\"")
        XCTAssertFalse(streamed.stopped)
    }

    func testStreamingStopsWhenAskedAndALateFileErrorRefusesEverything() {
        var text = "phone\n"
        for n in 0..<4_500 { text += "+99890\(String(format: "%07d", n))\n" }
        var handed = 0
        let stopped = Array(text.utf8).withUnsafeBytes { bytes in
            LeadUploadBatch.prepare(csv: bytes, defaultCountryCode: "998") { _ in handed += 1; return false }
        }
        XCTAssertEqual(handed, 1)
        XCTAssertTrue(stopped.stopped)
        handed = 0
        let broken = Array((text + "\"+998901111111\n").utf8)  // an unterminated quote, found at the end
        let refused = broken.withUnsafeBytes { bytes in
            LeadUploadBatch.prepare(csv: bytes, defaultCountryCode: "998") { _ in handed += 1; return true }
        }
        XCTAssertEqual(handed, 2, "rows were handed over before the error was found")
        XCTAssertNotNil(refused.fileError)
        XCTAssertEqual(refused.totalProcessed, 0)
        XCTAssertTrue(LeadUploadBatch.prepare(csv: broken, defaultCountryCode: "998").chunks.isEmpty)
    }

    // MARK: Import session

    private final class ScriptedQueue {
        var sent: [(type: String, body: JSONObject, timeout: Double?)] = []
        var pending: [(Result<JSONObject, IPCError>) -> Void] = []
        func send(_ command: QueueCommand, _ body: LeadUploadImport.Body, _ timeout: Double?,
                  _ completion: @escaping (Result<JSONObject, IPCError>) -> Void) {
            let type = command.rawValue
            switch body {
            case .typed(let message): sent.append((type, message.body, timeout))
            case .raw(let bytes):
                let object = (try? JSON.parse(bytes))?.object
                XCTAssertNotNil(object, "a raw body is one JSON object")
                sent.append((type, object ?? [:], timeout))
            }
            pending.append(completion)
        }
        func answer(_ result: Result<JSONObject, IPCError>) { pending.removeFirst()(result) }
    }

    /// A one-row chunk whose row is `n`.
    private func chunk(_ n: Int) -> [UInt8] { Array("[\(n)]".utf8) }

    func testImportKeepsAWindowOfChunksAndCommitsLast() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        var outcome: Result<LeadUploadImport.Outcome?, IPCError>?
        XCTAssertTrue(queue.sent.isEmpty, "nothing is begun before there is a row")
        session.add(chunk(0))
        XCTAssertEqual(queue.sent.map(\.type), ["queue.import_begin"])
        for n in 1..<3 { session.add(chunk(n)) }
        XCTAssertEqual(queue.sent.count, 1, "chunks wait for the import id")
        queue.answer(.success(["importId": "imp"]))
        XCTAssertEqual(queue.sent.count, 1 + 3)
        for n in 3..<6 { session.add(chunk(n)) }
        XCTAssertEqual(queue.sent.count, 1 + LeadUploadImport.window, "at most a window of chunks in flight")
        session.finish { outcome = $0 }
        for _ in 0..<6 { queue.answer(.success(["received": 1])) }
        let chunks = queue.sent.filter { $0.type == "queue.import_chunk" }
        XCTAssertEqual(chunks.map { $0.body["rows"]?.array?.first?.int }, [0, 1, 2, 3, 4, 5],
                       "chunks go out in file order")
        XCTAssertEqual(queue.sent.last?.type, "queue.import_commit")
        XCTAssertEqual(queue.sent.last?.timeout, LeadUploadImport.commitTimeout)
        XCTAssertNil(queue.sent[0].timeout, "import_begin reports an unreachable daemon within the usual timeout")
        XCTAssertEqual(Set(chunks.map(\.timeout)), [LeadUploadImport.chunkTimeout], "chunks may queue at the daemon")
        XCTAssertEqual(queue.sent[1].body["importId"]?.string, "imp")
        XCTAssertNil(outcome)
        queue.answer(.success(["successCount": 5, "duplicateCount": 1, "duplicateLines": [3]]))
        XCTAssertEqual(try outcome?.get(), .init(successCount: 5, duplicateCount: 1, duplicateLines: [3]))
        XCTAssertEqual(queue.sent.count, 8)
    }

    func testCommitWaitsForTheReaderEvenWhenEveryChunkWasAcknowledged() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add(chunk(1))
        queue.answer(.success(["importId": "imp"]))
        queue.answer(.success(["received": 1]))
        XCTAssertFalse(queue.sent.contains { $0.type == "queue.import_commit" }, "more rows may still come")
        session.add(chunk(2))
        queue.answer(.success(["received": 1]))
        var outcome: Result<LeadUploadImport.Outcome?, IPCError>?
        session.finish { outcome = $0 }
        XCTAssertEqual(queue.sent.last?.type, "queue.import_commit")
        queue.answer(.success(["successCount": 2, "duplicateCount": 0]))
        XCTAssertEqual(try outcome?.get(), .init(successCount: 2, duplicateCount: 0, duplicateLines: []))
    }

    func testNoRowsMeansNoImport() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add([])
        var outcome: Result<LeadUploadImport.Outcome?, IPCError>?
        session.finish { outcome = $0 }
        XCTAssertTrue(queue.sent.isEmpty)
        guard case .success(nil)? = outcome else { return XCTFail("expected an empty success, got \(String(describing: outcome))") }
    }

    func testFirstChunkErrorEndsTheImportWithoutCommitAndStopsTheReader() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        for _ in 0..<8 { session.add(chunk(1)) }
        queue.answer(.success(["importId": "imp"]))
        XCTAssertFalse(session.cancellation.isCancelled)
        queue.answer(.failure(.unreachable("queue-daemon")))
        XCTAssertTrue(session.cancellation.isCancelled, "the reader is told to stop")
        session.add(chunk(2))
        while !queue.pending.isEmpty { queue.answer(.success([:])) }
        var results: [Result<LeadUploadImport.Outcome?, IPCError>] = []
        session.finish { results.append($0) }
        XCTAssertEqual(results.count, 1)
        if case .failure(let error)? = results.first { XCTAssertEqual(error.status, 503) } else { XCTFail("expected failure") }
        XCTAssertFalse(queue.sent.contains { $0.type == "queue.import_commit" })
        XCTAssertEqual(queue.sent.filter { $0.type == "queue.import_chunk" }.count, LeadUploadImport.window,
                       "nothing is sent after the error")
        let aborts = queue.sent.filter { $0.type == "queue.import_abort" }
        XCTAssertEqual(aborts.count, 1, "the first error aborts the import once")
        XCTAssertEqual(aborts.first?.body["importId"]?.string, "imp")
    }

    func testARefusedFileAbortsWhatWasSent() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add(chunk(1))
        queue.answer(.success(["importId": "imp"]))
        session.abandon()
        XCTAssertEqual(queue.sent.last?.type, "queue.import_abort")
        XCTAssertEqual(queue.sent.last?.body["importId"]?.string, "imp")
        XCTAssertTrue(session.cancellation.isCancelled)
    }

    func testAFailureBeforeTheImportIdStillAbortsIt() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add(chunk(1))
        session.abandon()
        XCTAssertEqual(queue.sent.map(\.type), ["queue.import_begin"])
        queue.answer(.success(["importId": "late"]))
        XCTAssertEqual(queue.sent.map(\.type), ["queue.import_begin", "queue.import_abort"])
        XCTAssertEqual(queue.sent.last?.body["importId"]?.string, "late")
    }

    func testAnImportLostWithAQueueRestartIsA503ToRetry() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add(chunk(1))
        queue.answer(.success(["importId": "imp"]))
        var result: Result<LeadUploadImport.Outcome?, IPCError>?
        session.finish { result = $0 }
        queue.answer(.failure(IPCError(code: .importNotFound, status: 404, error: "Not Found", message: "Import not found")))
        guard case .failure(let error)? = result else { return XCTFail("expected a failure") }
        XCTAssertEqual(error.status, 503)
        XCTAssertEqual(error.code, "import_interrupted")
        XCTAssertTrue(error.message.contains("upload the file again"), error.message)
        let other = IPCError(code: .validationFailed, status: 400, error: "Bad Request", message: "line 3: x")
        XCTAssertEqual(LeadUploadImport.restartAware(other), other, "other errors pass through")
    }

    func testMalformedRepliesAreInternalErrors() {
        let queue = ScriptedQueue()
        let session = LeadUploadImport(actorID: "a", send: queue.send)
        session.add(chunk(1))
        var result: Result<LeadUploadImport.Outcome?, IPCError>?
        session.finish { result = $0 }
        queue.answer(.success([:]))
        if case .failure(let error)? = result { XCTAssertEqual(error.status, 500) } else { XCTFail("expected failure") }
    }

    // MARK: Memory

    func testLargeUploadsTrimTheHeapOnAWorker() throws {
        XCTAssertTrue(HeapTrimmer.isAvailable, "glibc has malloc_trim")
        XCTAssertEqual(HeapTrimmer.trimThresholdBytes, 1 << 20)
        let loop = try EventLoop()
        var small: Bool?
        HeapTrimmer.release(afterUploadOf: 10, on: loop) { small = $0 }
        XCTAssertEqual(small, false, "small uploads are not followed by a trim")
        var done = false
        HeapTrimmer.release(afterUploadOf: HeapTrimmer.trimThresholdBytes, on: loop) { _ in done = true }
        XCTAssertFalse(done, "the trim runs on a worker, never inline")
        XCTAssertTrue(loop.run(until: { done }, timeout: 3))
    }

    func testMallocArenasAreLimitedOnce() {
        XCTAssertEqual(HeapTrimmer.arenaLimit, 1)
        XCTAssertTrue(HeapTrimmer.fixArenas(), "glibc has mallopt and takes the limit")
        XCTAssertTrue(HeapTrimmer.fixArenas(), "idempotent")
    }

    // MARK: Form

    func testFieldAndTypeRules() {
        func locate(_ field: String, _ filename: String?, _ type: String?) -> Result<Range<Int>, LeadUploadForm.Rejection> {
            let (contentType, body) = Multipart.body(field: field, filename: filename, type: type, content: Array("a".utf8))
            return LeadUploadForm.locateFile(contentType: contentType, body: body)
        }
        XCTAssertNotNil(try? locate("csvFile", "a.csv", "text/csv").get())
        XCTAssertEqual(locate("upload", "a.csv", "text/csv"), .failure(.unexpectedField("upload")))
        XCTAssertEqual(locate("csvFile", "a.json", "application/json"), .failure(.invalidType))
        XCTAssertEqual(LeadUploadForm.locateFile(contentType: "text/csv", body: []), .failure(.notMultipart))
        XCTAssertEqual(LeadUploadForm.locateFile(contentType: nil, body: []), .failure(.notMultipart))
        if case .failure(let r) = LeadUploadForm.locateFile(contentType: "multipart/form-data", body: []) {
            XCTAssertEqual(r.status, 400)
        } else { XCTFail("missing boundary accepted") }
    }
}
