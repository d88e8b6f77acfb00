import Shared

/// `GET /api/admin/dnc/export[?search]` (admins): the do-not-call list as one CSV file, for the
/// compliance records a call centre keeps and for moving the list to another system. Columns
/// `phone,reason,source,addedBy,createdAt` (ISO 8601, UTC), newest first, the same `search` as the
/// list (phone or reason, substring). `phone` and `reason` are the columns the list's CSV import
/// reads, so a downloaded file imports again as it is (`CSVWriter` keeps E.164 numbers unguarded).
/// The rows are read on a worker with its own read-only connection (`LeadReadWorker`), so a long
/// list never holds the event loop. `Content-Disposition: attachment` names the file.
final class DoNotCallExportRoute: RouteModule {
    static let path = AdminDoNotCallRoutes.path + "/export"
    static let header = ["phone", "reason", "source", "addedBy", "createdAt"]
    static let fileName = "do-not-call.csv"

    private let ctx: GatewayContext
    private let worker: LeadReadWorker
    /// Each export is its own worker job (the worker folds jobs with equal keys into one).
    private var exports = 0

    init(ctx: GatewayContext) {
        self.ctx = ctx
        worker = LeadReadWorker(loop: ctx.loop, path: ctx.db.path)
    }

    func register(on router: Router) {
        ctx.route(router, "GET", Self.path, access: .admin) { [self] req, res in export(req, res) }
    }

    private func export(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let search: String?
        do { search = try QueryParams.string(request, "search") } catch { return ctx.fail(responder, error) }
        exports += 1
        worker.submit(key: "dnc-export-\(exports)", { db in try Self.csv(db, search: search) }) { [ctx] result in
            switch result {
            case .success(let bytes):
                var response = HTTPResponse.bytes(200, bytes, contentType: "text/csv; charset=utf-8")
                response.headers.set("Content-Disposition", "attachment; filename=\"\(Self.fileName)\"")
                responder.send(response)
            case .failure(let error):
                ctx.fail(responder, error)
            }
        }
    }

    /// The file's bytes; a database without the `dnc` table (never listed anything) gives the header.
    static func csv(_ db: Database, search: String?) throws -> [UInt8] {
        var writer = CSVWriter()
        writer.row(header)
        guard try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dnc'") != nil else {
            return writer.bytes
        }
        let (condition, params) = AdminDoNotCallRoutes.searchCondition(search)
        try db.forEachRow("""
            SELECT phone, reason, source, added_by, created_at FROM dnc \(condition) ORDER BY created_at DESC, phone
            """, params) { row in
            writer.row([row.string("phone"), row.string("reason"), row.string("source"),
                        row.optionalString("added_by") ?? "",
                        row.optionalInt("created_at").map { Timestamp.iso8601(millis: $0) } ?? ""])
        }
        return writer.bytes
    }
}
