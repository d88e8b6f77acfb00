import XCTest
@testable import api_gateway
@testable import Shared

/// Parse errors over a real socket: JSON error body, `Connection: close`, then the close.
final class HTTPServerLimitsTests: XCTestCase {
    var t: TestServer!
    var handled = 0

    override func setUpWithError() throws {
        let router = Router()
        router.post("/api/leads/upload-csv", bodyLimit: HTTPLimits.uploadBodyBytes) { req, res in
            res.send(.json(200, .object(["bytes": .int(Int64(req.body.count))])))
        }
        router.post("/api/leads") { req, res in res.send(.json(201, .object(["bytes": .int(Int64(req.body.count))]))) }
        t = try TestServer { [unowned self] req, res in
            handled += 1
            router.handle(req, res)
        }
        t.server.bodyLimit = router.bodyLimit(for:)
    }

    override func tearDown() { t.stop() }

    func expectError(_ request: String, status: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = try t.client()
        c.send(request)
        let r = c.responses(1).first
        XCTAssertEqual(r?.status, status, file: file, line: line)
        XCTAssertEqual(r?.headers["Connection"], "close", file: file, line: line)
        XCTAssertEqual(r?.headers["Content-Type"], "application/json; charset=utf-8", file: file, line: line)
        XCTAssertEqual(r?.json?["error"]?.string, HTTPStatus.reason(status), file: file, line: line)
        XCTAssertNotNil(r?.json?["message"]?.string, file: file, line: line)
        XCTAssertTrue(c.waitForClose(), "closed after the error", file: file, line: line)
    }

    func testHeaderSectionTooLarge431() throws {
        let big = String(repeating: "a", count: HTTPLimits.maxHeaderSectionBytes)
        try expectError("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n", status: 431)
    }

    func testTooManyHeaders431() throws {
        let fields = (0...HTTPLimits.maxHeaderCount).map { "X-\($0): v\r\n" }.joined()
        try expectError("GET / HTTP/1.1\r\nHost: x\r\n\(fields)\r\n", status: 431)
    }

    func testRequestLineTooLong414() throws {
        try expectError("GET /" + String(repeating: "a", count: HTTPLimits.maxRequestLineBytes) + " HTTP/1.1\r\n\r\n", status: 414)
    }

    func testBodyTooLarge413IsAnsweredBeforeTheBodyIsSent() throws {
        try expectError("POST /api/leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(HTTPLimits.defaultBodyBytes + 1)\r\n\r\n", status: 413)
        XCTAssertEqual(handled, 0)
    }

    func testUploadRouteAcceptsMoreThanTheJSONLimit() throws {
        let c = try t.client()
        let size = HTTPLimits.defaultBodyBytes * 3
        c.send("POST /api/leads/upload-csv HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n")
        c.send([UInt8](repeating: 0x61, count: size))
        XCTAssertEqual(c.responses(1, timeout: 10).first?.json?["bytes"], .int(Int64(size)))
        try expectError("POST /api/leads/upload-csv HTTP/1.1\r\nHost: x\r\nContent-Length: \(HTTPLimits.uploadBodyBytes + 1)\r\n\r\n",
                        status: 413)
    }

    func testContentLengthWithTransferEncoding400() throws {
        try expectError("POST /api/leads HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        status: 400)
        XCTAssertEqual(handled, 0)
    }

    func testUnknownTransferCoding501AndBadVersion505() throws {
        try expectError("POST /api/leads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501)
        try expectError("GET / HTTP/3.0\r\nHost: x\r\n\r\n", status: 505)
    }

    func testMalformedPathEscape400() throws {
        try expectError("GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n", status: 400)
    }

    func testErrorAfterGoodPipelinedRequestComesInOrder() throws {
        let c = try t.client()
        c.send("POST /api/leads HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GARBAGE\r\n\r\n")
        let responses = c.responses(2)
        XCTAssertEqual(responses.map(\.status), [201, 400])
        XCTAssertTrue(c.waitForClose())
    }
}
