import Shared

/// Sends a read do-not-call CSV to the queue-daemon in `queue.dnc_import` batches, one after the
/// other (each its own transaction: a failure part-way keeps the batches already added, and the
/// answer is the error), then answers with the lead upload's summary shape and writes one audit row.
struct DoNotCallUpload {
    let ctx: GatewayContext
    let actorID: String
    let result: DoNotCallCSVReader.Result
    let responder: HTTPResponder

    func send(from start: Int, added: Int64, duplicates: Int64, flagged: Int64) {
        let entries = result.rows
        guard start < entries.count else { return finish(added: added, duplicates: duplicates, flagged: flagged) }
        let batch = entries[start..<min(start + AdminDoNotCallRoutes.importBatch, entries.count)]
        let rows = batch.map { DncImportBody.Row(line: Int64($0.line), phone: $0.phone, reason: $0.reason) }
        ctx.queue.request(DncImportBody(actorId: actorID, rows: rows)) { reply in
            switch reply {
            case .failure(let error):
                responder.send(.json(error.status, .object(error.httpBody)))
            case .success(let answer):
                send(from: batch.endIndex, added: added + (answer["successCount"]?.int ?? 0),
                     duplicates: duplicates + (answer["duplicateCount"]?.int ?? 0),
                     flagged: flagged + (answer["leadsFlagged"]?.int ?? 0))
            }
        }
    }

    private func finish(added: Int64, duplicates: Int64, flagged: Int64) {
        let total = Int64(result.totalDataRows)
        let duplicateCount = duplicates + Int64(result.duplicateLines.count)
        ctx.audit.record(actor: actorID, action: "dnc.imported", target: nil,
                         detail: "\(added) numbers added, \(flagged) leads flagged")
        var body = JSONObject([
            ("message", "CSV upload completed"),
            ("summary", .object(JSONObject([
                ("totalProcessed", .int(total)), ("successCount", .int(added)),
                ("duplicateCount", .int(duplicateCount)), ("errorCount", .int(Int64(result.errors.count))),
                ("leadsFlagged", .int(flagged)),
            ]))),
        ])
        if !result.errors.isEmpty {
            body["errors"] = .array(result.errors.prefix(1000).map { .string("Line \($0.line): \($0.message)") })
        }
        responder.send(.json(200, .object(body)))
    }
}
