import Shared

/// The do-not-call list (issue 12), admins only. The list lives in the queue-daemon's `dnc` table:
/// reads come from SQL here, every change is a command to the queue-daemon (which flags or
/// unflags the number's lead) and gets an `audit_log` row here.
/// - `GET /api/admin/dnc?page&limit&search` → `{"numbers":[{phone,reason,source,addedBy,createdAt}],
///   "pagination"}`, newest first; `search` matches phone or reason (substring);
/// - `POST /api/admin/dnc {phone, reason?}` → 201 `{"message","entry","lead"}`; 409 when listed;
/// - `DELETE /api/admin/dnc/:phone` → `{"message","phone","lead"}`; 404 when not listed;
/// - `POST /api/admin/dnc/upload-csv` (multipart field `csvFile`, the lead upload's rules) →
///   `{"message":"CSV upload completed","summary":{totalProcessed,successCount,duplicateCount,
///   errorCount,leadsFlagged},"errors":[…]}` (numbers already listed count as duplicates).
struct AdminDoNotCallRoutes: RouteModule {
    static let path = "/api/admin/dnc"
    /// Numbers sent to the queue-daemon per `queue.dnc_import` (its own limit is 20,000).
    static let importBatch = 10_000

    let ctx: GatewayContext

    func register(on router: Router) {
        ctx.route(router, "GET", Self.path, access: .admin) { req, res in ctx.answer(res) { try list(req) } }
        ctx.route(router, "POST", Self.path, access: .admin) { req, res in add(req, res) }
        ctx.route(router, "DELETE", Self.path + "/:phone", access: .admin) { req, res in remove(req, res) }
        ctx.route(router, "POST", Self.path + "/upload-csv", access: .admin,
                  bodyLimit: HTTPLimits.uploadBodyBytes) { req, res in upload(req, res) }
    }

    func list(_ request: HTTPRequest) throws -> HTTPResponse {
        let page = try ctx.pagination(request)
        let search = try QueryParams.string(request, "search")
        guard try ctx.db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dnc'") != nil else {
            return .json(200, ["numbers": [], "pagination": page.json(total: 0)])
        }
        let (condition, params) = Self.searchCondition(search)
        let total = try ctx.db.queryOne("SELECT count(*) FROM dnc \(condition)", params)?.int(at: 0) ?? 0
        var numbers: [JSON] = []
        try ctx.db.forEachRow("""
            SELECT phone, reason, source, added_by, created_at FROM dnc \(condition)
            ORDER BY created_at DESC, phone LIMIT ? OFFSET ?
            """, params + [.int(Int64(page.limit)), .int(Int64(page.offset))]) { row in
            numbers.append(.object(JSONObject([
                ("phone", .string(row.string("phone"))), ("reason", .string(row.string("reason"))),
                ("source", .string(row.string("source"))), ("addedBy", JSON.from(row.optionalString("added_by"))),
                ("createdAt", LeadJSON.time(row.optionalInt("created_at"))),
            ])))
        }
        return .json(200, .object(JSONObject([("numbers", .array(numbers)), ("pagination", page.json(total: Int(total)))])))
    }

    /// The `WHERE` clause of a `search` (phone or reason, substring) and its parameters; empty
    /// without one. The list and the CSV export (`DoNotCallExportRoute`) select the same rows.
    static func searchCondition(_ search: String?) -> (clause: String, params: [SQLValue]) {
        guard let search, !search.isEmpty else { return ("", []) }
        let pattern = LikePattern.contains(search)
        return ("WHERE " + LikePattern.clause("phone") + " OR " + LikePattern.clause("reason"), [.text(pattern), .text(pattern)])
    }

    func add(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let body: DncAddBody
        let actor: AuthUser
        do {
            actor = try ctx.caller(request)
            let fields = try ctx.bodyFields(request)
            try fields.rejectUnknown(allowed: ["phone", "reason"])
            let phone = try fields.phone("phone", required: true, countryCode: ctx.config.defaultCountryCode) ?? ""
            let reason = try fields.string(FieldRules.doNotCallReason) ?? ""
            body = DncAddBody(actorId: actor.id, phone: phone, reason: reason, source: "manual")
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(body, responder: responder) { [ctx] reply in
            ctx.audit.record(actor: actor.id, action: "dnc.added", target: body.phone, detail: body.reason)
            return .json(201, .object(JSONObject([("message", "Number added to the do-not-call list"),
                                                  ("entry", reply["entry"] ?? .null), ("lead", reply["lead"] ?? .null)])))
        }
    }

    func remove(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let actor: AuthUser
        let phone: String
        do {
            actor = try ctx.caller(request)
            let raw = PercentDecoding.decode(request.param("phone") ?? "") ?? ""
            guard let normalized = PhoneNumber.normalize(raw, defaultCountryCode: ctx.config.defaultCountryCode) else {
                throw HTTPError.validation("\"phone\" must be a phone number, got \"\(raw.prefix(40))\"")
            }
            phone = normalized
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(DncRemoveBody(actorId: actor.id, phone: phone), responder: responder) { [ctx] reply in
            ctx.audit.record(actor: actor.id, action: "dnc.removed", target: phone)
            return .json(200, .object(JSONObject([("message", "Number removed from the do-not-call list"),
                                                  ("phone", .string(phone)), ("lead", reply["lead"] ?? .null)])))
        }
    }

    func upload(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let actor: AuthUser
        do { actor = try ctx.caller(request) } catch { return ctx.fail(responder, error) }
        guard let (bytes, range) = LeadUploadForm.takeFile(request, responder) else { return }
        let countryCode = ctx.config.defaultCountryCode
        ctx.loop.runOnWorker({
            bytes.withUnsafeBytes { DoNotCallCSVReader.read(UnsafeRawBufferPointer(rebasing: $0[range]),
                                                            defaultCountryCode: countryCode) }
        }, completion: { result in
            if let fileError = result.fileError {
                return responder.send(.error(400, error: "Invalid CSV file", message: fileError.description))
            }
            DoNotCallUpload(ctx: ctx, actorID: actor.id, result: result, responder: responder).send(from: 0, added: 0,
                                                                                                     duplicates: 0, flagged: 0)
        })
    }
}
