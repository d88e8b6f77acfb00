import Shared

/// `POST /api/leads/upload-csv` (route #6, admin; original-behaviour §7 with its bugs fixed).
/// The route's body limit is 10 MiB plus multipart framing, so a larger upload is refused with
/// 413 before it is read. The handler finds the `csvFile` part (`LeadUploadForm`), then on a
/// worker thread reads it in place in the request body with `LeadCSVReader` and prepares the
/// chunks (`LeadUploadBatch`); the request body is dropped once the worker is done with it.
/// Back on the loop, `LeadUploadImport` sends the rows to the queue-daemon and commits them in one
/// transaction (all or nothing; 503 when the daemon is unreachable). The answer:
/// `{"message":"CSV upload completed","summary":{totalProcessed,successCount,duplicateCount,
/// errorCount},"errors":[…]}` with `successCount + duplicateCount + errorCount = totalProcessed`
/// (duplicates within the file and phones already stored both count) and `errors` left out when
/// empty. `summary.doNotCallCount` (issue 12): imported rows whose number is on the do-not-call list
/// (stored, flagged, never dialed).
struct LeadUploadRoute: RouteModule {
    static let path = "/api/leads/upload-csv"

    let ctx: GatewayContext

    func register(on router: Router) {
        HeapTrimmer.fixArenas()
        ctx.route(router, "POST", Self.path, access: .admin, bodyLimit: HTTPLimits.uploadBodyBytes,
                  idempotent: true) { request, responder in
            upload(request, responder)
        }
    }

    func upload(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let actor: AuthUser
        do { actor = try ctx.caller(request) } catch { return ctx.fail(responder, error) }
        guard let (body, range) = LeadUploadForm.takeFile(request, responder) else { return }
        let countryCode = ctx.config.defaultCountryCode
        let started = MonotonicClock.micros()
        let loop = ctx.loop
        let fields = ctx.logFields(request)
        let queue = ctx.queue
        let session = LeadUploadImport(actorID: actor.id) { type, body, timeout, completion in
            switch body {
            case .typed(let message): queue.request(message, timeout: timeout, completion: completion)
            case .raw(let bytes): queue.request(type, rawBody: bytes, timeout: timeout, completion: completion)
            }
        }
        let cancellation = session.cancellation
        let answer: (HTTPResponse) -> Void = { response in
            responder.send(response)
            // Next iteration: by then the worker result holding the rows has been released.
            loop.post { HeapTrimmer.release(afterUploadOf: range.count, on: loop) }
        }
        let add = loop.bounce { (chunk: [UInt8]) in session.add(chunk) }
        ctx.loop.runOnWorker({ () -> LeadUploadBatch in
            body.withUnsafeBytes { bytes in
                LeadUploadBatch.prepare(csv: UnsafeRawBufferPointer(rebasing: bytes[range]),
                                        defaultCountryCode: countryCode) { chunk in
                    add(chunk)
                    return !cancellation.isCancelled
                }
            }
        }, completion: { summary in
            finish(session, summary: summary, started: started, fields: fields, answer: answer)
        })
    }

    /// Back on the loop once the whole file was read (every chunk already handed to `session`):
    /// a refused file rolls back whatever was sent; otherwise the import is committed and answered.
    private func finish(_ session: LeadUploadImport, summary: LeadUploadBatch, started: UInt64,
                        fields: [String: String], answer: @escaping (HTTPResponse) -> Void) {
        if let fileError = summary.fileError {
            session.abandon()
            ctx.metrics.csvImport(outcome: "rejected")
            return answer(.error(400, error: "Invalid CSV file", message: fileError.description))
        }
        session.finish { [ctx] result in
            switch result {
            case .failure(let error):
                if error.status >= 500 { ctx.logger.warning("CSV import failed: \(error)", fields) }
                ctx.metrics.csvImport(outcome: error.status >= 500 ? "failed" : "rejected")
                answer(.json(error.status, .object(error.httpBody)))
            case .success(let outcome):
                if let outcome {
                    let millis = (MonotonicClock.micros() &- started) / 1000
                    ctx.logger.info("CSV import: \(outcome.successCount) of \(summary.totalProcessed) rows imported "
                        + "in \(millis) ms", fields)
                }
                let body = Self.response(summary, outcome: outcome)
                ctx.metrics.csvImportCompleted(body)
                answer(.json(200, .object(body)))
            }
        }
    }

    /// The 200 body for `batch` and the queue's commit `outcome` (nil when nothing was sent).
    /// `errorCount` is whatever neither succeeded nor was a duplicate, so the counts always add
    /// up to `totalProcessed` even if the daemon's report were off.
    static func response(_ batch: LeadUploadBatch, outcome: LeadUploadImport.Outcome?) -> JSONObject {
        let total = Int64(batch.totalProcessed)
        let success = min(outcome?.successCount ?? 0, total)
        let duplicates = min(Int64(batch.inFileDuplicateCount) + (outcome?.duplicateCount ?? 0), total - success)
        let errors = total - success - duplicates
        var body = JSONObject([
            ("message", "CSV upload completed"),
            ("summary", .object(JSONObject([
                ("totalProcessed", .int(total)),
                ("successCount", .int(success)),
                ("duplicateCount", .int(duplicates)),
                ("errorCount", .int(errors)),
                ("doNotCallCount", .int(outcome?.doNotCallCount ?? 0)),
            ]))),
        ])
        if !batch.errors.isEmpty { body["errors"] = .array(batch.errors.map(JSON.string)) }
        return body
    }
}
