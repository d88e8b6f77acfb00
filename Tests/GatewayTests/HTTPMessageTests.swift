import XCTest
@testable import api_gateway
@testable import Shared

/// HTTPRequest decoding, HTTPHeaders lookup, HTTPResponse helpers and the response writer.
final class HTTPMessageTests: XCTestCase {
    func testPathSegmentsTable() {
        let cases: [(String, [String]?)] = [
            ("", []), ("/", []), ("//", [""]), ("/a", ["a"]), ("/a/", ["a"]), ("a", ["a"]), ("/a//b", ["a", "", "b"]),
            ("/a/b//", ["a", "b", ""]), ("/%41/b%20c", ["A", "b c"]), ("/a%2Fb/", ["a/b"]), ("/a/%zz", nil), ("/%C3", nil),
        ]
        for (raw, expected) in cases {
            XCTAssertEqual(PercentDecoding.pathSegments(Substring(raw)), expected, raw)
        }
    }

    func testRequestPathAndQueryDecoding() throws {
        let r = try HTTPRequest(method: "GET", target: "/api/leads/a%20b?search=J%C3%B6rg+Smith&page=2&flag&page=3&bad=%zz",
                                headers: ["Content-TYPE": "application/json"])
        XCTAssertEqual(r.path, "/api/leads/a b")
        XCTAssertEqual(r.pathSegments, ["api", "leads", "a b"])
        XCTAssertEqual(r.rawTarget, "/api/leads/a%20b?search=J%C3%B6rg+Smith&page=2&flag&page=3&bad=%zz")
        XCTAssertEqual(r.query("search"), "Jörg Smith")
        XCTAssertEqual(r.query("page"), "2", "first value wins")
        XCTAssertEqual(r.query("flag"), "")
        XCTAssertEqual(r.query("bad"), "%zz", "bad escapes in a query are kept as sent")
        XCTAssertNil(r.query("missing"))
        XCTAssertEqual(r.query.map(\.0), ["search", "page", "flag", "page", "bad"])
        XCTAssertEqual(r.header("content-type"), "application/json")
    }

    func testPathWithBadEscapeOrInvalidUTF8IsRejected() {
        XCTAssertThrowsError(try HTTPRequest(method: "GET", target: "/a%2"))
        XCTAssertThrowsError(try HTTPRequest(method: "GET", target: "/a%ff"))
        XCTAssertEqual(try HTTPRequest(method: "GET", target: "/a%2Fb").pathSegments, ["a/b"], "escaped slash stays in its segment")
    }

    func testHeadersCaseInsensitiveAndTokenLists() {
        var h: HTTPHeaders = ["Connection": "keep-alive, Upgrade", "X-A": "1"]
        XCTAssertTrue(h.containsToken("connection", "upgrade"))
        XCTAssertFalse(h.containsToken("Connection", "close"))
        h.add("x-a", "2")
        XCTAssertEqual(h.values("X-A"), ["1", "2"])
        h.set("X-a", "3")
        XCTAssertEqual(h.values("x-A"), ["3"])
        h.remove("X-A")
        XCTAssertFalse(h.contains("x-a"))
    }

    func write(_ response: HTTPResponse, head: Bool = false, keepAlive: Bool = true,
               version: HTTPRequestHead.Version = .http11) -> String {
        var out: [UInt8] = []
        HTTPResponseWriter.write(response, headOnly: head, keepAlive: keepAlive, requestVersion: version,
                                 date: Array("Thu, 01 Jan 1970 00:00:00 GMT".utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testWriterJSONErrorAndHead() {
        let error = HTTPResponse.error(404, error: "Not Found", message: "Route not found")
        XCTAssertEqual(write(error),
                       "HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
                       + "Content-Length: 49\r\n\r\n{\"error\":\"Not Found\",\"message\":\"Route not found\"}")
        XCTAssertTrue(write(error, head: true).hasSuffix("Content-Length: 49\r\n\r\n"))
        XCTAssertEqual(HTTPResponse.error(413, message: "x").status, 413)
        XCTAssertEqual(try JSON.parse(HTTPResponse.error(413, message: "x").body)["error"], "Content Too Large")
    }

    func testWriterConnectionHeaders() {
        XCTAssertTrue(write(.text(200, "a"), keepAlive: false).contains("Connection: close\r\n"))
        XCTAssertTrue(write(.text(200, "a"), version: .http10).contains("Connection: keep-alive\r\n"))
        XCTAssertFalse(write(.text(200, "a")).contains("Connection:"))
        let handlerSaysClose = HTTPResponse(status: 200, headers: ["Connection": "close"])
        XCTAssertTrue(handlerSaysClose.closesConnection)
    }

    func testWriterBodilessStatusesAndInjection() {
        let noContent = write(.empty(204))
        XCTAssertFalse(noContent.contains("Content-Length"))
        XCTAssertTrue(noContent.hasSuffix("\r\n\r\n"))
        XCTAssertTrue(write(.empty(200)).contains("Content-Length: 0\r\n"))
        let evil = write(HTTPResponse(status: 200, headers: ["X-Evil": "a\r\nSet-Cookie: x=1"]))
        XCTAssertTrue(evil.contains("X-Evil: a  Set-Cookie: x=1\r\n"))
        XCTAssertFalse(evil.contains("\r\nSet-Cookie"))
        let head = write(HTTPResponse(status: 200, headers: ["Content-Length": "1234"]), head: true)
        XCTAssertTrue(head.contains("Content-Length: 1234\r\n"), "a HEAD handler may declare the length")
    }

    func testDateFormatAndCache() {
        XCTAssertEqual(HTTPDate.format(epochSeconds: 784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(HTTPDate.format(epochSeconds: 0), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(HTTPDate.format(epochSeconds: 1_709_210_096), "Thu, 29 Feb 2024 12:34:56 GMT")
        let date = HTTPDate()
        let text = String(decoding: date.current(), as: UTF8.self)
        XCTAssertEqual(text.count, 29)
        XCTAssertTrue(text.hasSuffix(" GMT"))
    }

    func testResponderSendsOnceAndMergesHeaders() throws {
        let request = try HTTPRequest(method: "GET", target: "/")
        request.responseHeaders.add("X-Request-ID", "r1")
        var sent: [HTTPResponse] = []
        let responder = HTTPResponder(request: request) { sent.append($0) }
        XCTAssertNil(responder.hijack(response: HTTPResponse(status: 101)), "a closure responder cannot hijack")
        responder.send(.text(200, "one"))
        responder.send(.text(500, "two"))
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?.headers["X-Request-ID"], "r1")
        XCTAssertTrue(responder.isSent)
    }
}
