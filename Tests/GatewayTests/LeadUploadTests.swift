import XCTest
@testable import api_gateway
@testable import Shared

/// `POST /api/leads/upload-csv` (#6) end to end through the router, with a fake queue-daemon that
/// stages chunks and inserts them at commit like the real one: counts and their invariant,
/// duplicates in the file and in the database, line-numbered errors, whole-file errors, all or
/// nothing when the queue fails, 503 when it is down, the admin guard and the route body limit.
final class LeadUploadTests: XCTestCase {
    var h: LeadTestHarness!
    var staged: [String: [[JSON]]] = [:]
    var failCommit = false

    override func setUpWithError() throws {
        h = try LeadTestHarness()
        staged = [:]
        failCommit = false
    }

    override func tearDown() { h = nil }

    /// Scripts the fake queue as a real import: begin, stage chunks, insert all at commit.
    private func scriptImport() throws {
        try h.startFakeQueue()
        h.queueHandlers["queue.import_begin"] = { [unowned self] _ in
            let id = "imp\(self.staged.count + 1)"
            self.staged[id] = []
            return .success(["importId": .string(id)])
        }
        h.queueHandlers["queue.import_chunk"] = { [unowned self] body in
            guard let id = body["importId"]?.string, let rows = body["rows"]?.array else { return .failure(.invalid(message: "bad")) }
            self.staged[id, default: []] += rows.compactMap(\.array)
            return .success(["received": .int(Int64(rows.count))])
        }
        h.queueHandlers["queue.import_commit"] = { [unowned self] body in
            if self.failCommit { return .failure(.internal(message: "The lead store could not be written")) }
            let rows = self.staged[body["importId"]?.string ?? ""] ?? []
            var success: Int64 = 0
            var duplicateLines: [JSON] = []
            do {
                try self.h.queueDB.transaction {
                    for row in rows {
                        let fields = row
                        let phone = fields.count == 7 ? fields[1].string ?? "" : ""
                        if try self.h.queueDB.queryOne("SELECT 1 FROM leads WHERE phone = ?", [.text(phone)]) != nil {
                            duplicateLines.append(fields.first ?? .null)
                            continue
                        }
                        try self.h.insertLead(phone: phone, name: fields.count == 7 ? fields[2].string ?? "" : "")
                        success += 1
                    }
                }
            } catch {
                return .failure(.internal(message: "\(error)"))
            }
            return .success(["successCount": .int(success), "duplicateCount": .int(Int64(duplicateLines.count)),
                             "duplicateLines": .array(duplicateLines)])
        }
    }

    private func upload(_ csv: String, field: String = "csvFile", filename: String? = "leads.csv",
                        type: String? = "text/csv", as user: UserRecord? = nil) -> HTTPResponse {
        let (contentType, body) = Multipart.body(field: field, filename: filename, type: type, content: Array(csv.utf8))
        return h.send("POST", "/api/leads/upload-csv", as: user ?? h.admin, body: body, contentType: contentType)
    }

    private func leadCount() throws -> Int64 { try h.queueDB.queryOne("SELECT count(*) FROM leads")?.int(at: 0) ?? -1 }

    func testHappyPathCountsDuplicatesAndErrors() throws {
        try scriptImport()
        try h.insertLead(phone: "+998901234503")
        let csv = """
            Phone,Name,Priority
            +998901234501,Ann,high
            901234502,Bob,
            +998 90 123 45 03,Already stored,low

            12ab,Bad phone,low
            +998901234501,Dup in file,medium
            +998901234504,Bad priority,normal
            """
        let r = upload(csv)
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
        XCTAssertEqual(r.json["message"]?.string, "CSV upload completed")
        let summary = try XCTUnwrap(r.json["summary"]?.object)
        XCTAssertEqual(summary, ["totalProcessed": 6, "successCount": 2, "duplicateCount": 2, "errorCount": 2,
                                 "doNotCallCount": 0])
        XCTAssertEqual(summary.keys, ["totalProcessed", "successCount", "duplicateCount", "errorCount", "doNotCallCount"])
        XCTAssertEqual(r.json["errors"]?.array?.compactMap(\.string),
                       ["Line 6: Invalid phone number: 12ab",
                        "Line 8: Invalid priority \"normal\" (allowed: urgent, high, medium, low)"])
        XCTAssertEqual(try leadCount(), 3)
        XCTAssertNotNil(try h.queueDB.queryOne("SELECT 1 FROM leads WHERE phone = '+998901234502' AND name = 'Bob'"))
        XCTAssertEqual(h.commands("queue.import_begin").first?["actorId"]?.string, h.admin.id)
        let rows = h.commands("queue.import_chunk").first?["rows"]?.array ?? []
        XCTAssertEqual(rows.first, [2, "+998901234501", "Ann", "", "high", "", []])
    }

    func testErrorsAreOmittedWhenThereAreNone() throws {
        try scriptImport()
        let r = upload("phone\n+998901234501\n")
        XCTAssertEqual(r.status, 200)
        XCTAssertNil(r.json["errors"])
        XCTAssertEqual(r.json["summary"]?["successCount"]?.int, 1)
    }

    func testOnlyInvalidRowsNeedNoQueue() {
        let r = upload("phone,name\nabc,x\n")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["summary"]?.object, ["totalProcessed": 1, "successCount": 0, "duplicateCount": 0, "errorCount": 1,
                                                      "doNotCallCount": 0])
    }

    func testWholeFileErrorsAre400() {
        let noPhone = upload("name,email\nAnn,a@b.uz\n")
        XCTAssertEqual(noPhone.status, 400)
        XCTAssertEqual(noPhone.errorText, "Invalid CSV file")
        XCTAssertEqual(noPhone.json["message"]?.string, LeadCSVFileError.missingPhoneColumn.description)
        let empty = upload("")
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(empty.json["message"]?.string, "CSV file is empty")
        XCTAssertEqual(upload("phone\n\"+998901234501\n").status, 400)
    }

    func testCommitFailureImportsNothing() throws {
        try scriptImport()
        failCommit = true
        let r = upload("phone\n+998901234501\n+998901234502\n")
        XCTAssertEqual(r.status, 500)
        XCTAssertEqual(r.json["message"]?.string, "The lead store could not be written")
        XCTAssertEqual(try leadCount(), 0)
    }

    func testChunkFailureStopsBeforeTheCommit() throws {
        try scriptImport()
        h.queueHandlers["queue.import_chunk"] = { _ in
            .failure(IPCError(code: .importTooLarge, status: 413, error: "Payload Too Large", message: "too many"))
        }
        let r = upload("phone\n+998901234501\n")
        XCTAssertEqual(r.status, 413)
        XCTAssertTrue(h.commands("queue.import_commit").isEmpty)
        XCTAssertEqual(try leadCount(), 0)
    }

    func testQueueDownIs503() throws {
        let r = upload("phone\n+998901234501\n")
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.json["message"]?.string, "queue-daemon is not reachable")
        XCTAssertEqual(try leadCount(), 0)
    }

    func testFormRejections() {
        let wrongField = upload("phone\n+998901234501\n", field: "file")
        XCTAssertEqual(wrongField.status, 400)
        XCTAssertTrue(wrongField.json["message"]?.string?.contains("\"csvFile\"") == true)
        let wrongType = upload("phone\n+998901234501\n", filename: "leads.xlsx", type: "application/pdf")
        XCTAssertEqual(wrongType.status, 400)
        XCTAssertEqual(wrongType.errorText, "Invalid file type. Only CSV files are allowed.")
        let notMultipart = h.send("POST", "/api/leads/upload-csv", as: h.admin, json: ["csvFile": "x"])
        XCTAssertEqual(notMultipart.status, 415)
        let (contentType, body) = Multipart.body(field: "note", filename: nil, type: nil, content: Array("hi".utf8))
        let noFile = h.send("POST", "/api/leads/upload-csv", as: h.admin, body: body, contentType: contentType)
        XCTAssertEqual(noFile.status, 400)
        XCTAssertEqual(noFile.errorText, "No file uploaded")
        let broken = h.send("POST", "/api/leads/upload-csv", as: h.admin, body: Array("--x\r\n".utf8),
                            contentType: "multipart/form-data; boundary=x")
        XCTAssertEqual(broken.status, 400)
    }

    func testAcceptedDeclaredTypes() throws {
        try scriptImport()
        for type in ["application/vnd.ms-excel", "application/octet-stream", "text/plain", "text/csv; charset=utf-8"] {
            XCTAssertEqual(upload("phone\n+998901234501\n", filename: "x.txt", type: type).status, 200, type)
        }
        XCTAssertEqual(upload("phone\n+998901234501\n", filename: "LEADS.CSV", type: "application/x-anything").status, 200)
        XCTAssertEqual(upload("phone\n+998901234501\n", filename: nil, type: nil).status, 200)
    }

    func testAdminOnly() {
        XCTAssertEqual(upload("phone\n+998901234501\n", as: h.operatorA).status, 403)
    }

    func testRouteBodyLimitAndFileLimit() {
        let head = HTTPRequestHead(method: "POST", target: "/api/leads/upload-csv", version: .http11, headers: [:], framing: .none)
        XCTAssertEqual(h.router.bodyLimit(for: head), HTTPLimits.uploadBodyBytes)
        XCTAssertGreaterThanOrEqual(HTTPLimits.uploadBodyBytes, LeadUploadForm.maxFileBytes)
        var big = Array("phone\n".utf8)
        big += [UInt8](repeating: UInt8(ascii: "1"), count: 10 * 1024 * 1024 + 1 - big.count)  // one byte over 10 MiB
        let (contentType, body) = Multipart.body(field: "csvFile", filename: "big.csv", type: "text/csv", content: big)
        let r = h.send("POST", "/api/leads/upload-csv", as: h.admin, body: body, contentType: contentType)
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.json["message"]?.string, "File size too large. Maximum size is 10MB.")
    }
}

/// Builds `multipart/form-data` bodies for the tests.
enum Multipart {
    static let boundary = "----gwleadsBoundary7MA4YWxkTrZu0gW"

    static func body(field: String, filename: String?, type: String?, content: [UInt8]) -> (String, [UInt8]) {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\""
        if let filename { head += "; filename=\"\(filename)\"" }
        head += "\r\n"
        if let type { head += "Content-Type: \(type)\r\n" }
        head += "\r\n"
        var body = Array(head.utf8)
        body += content
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}
