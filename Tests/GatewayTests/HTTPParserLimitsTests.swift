import XCTest
@testable import api_gateway

/// One test per limit of `HTTPLimits`: just at the limit passes, one byte (or field) beyond fails
/// with the documented status.
final class HTTPParserLimitsTests: XCTestCase {
    func testRequestLineLimit414() {
        // "GET " + target + " HTTP/1.1" is exactly the limit.
        let fixed = "GET  HTTP/1.1".utf8.count
        let target = "/" + String(repeating: "a", count: HTTPLimits.maxRequestLineBytes - fixed - 1)
        XCTAssertEqual(parseAll("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n").first?.hasPrefix("REQ"), true)
        XCTAssertEqual(parseAll("GET \(target)a HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 414"])
        // Detected before the line ends: no CR LF needed.
        XCTAssertEqual(parseAll("GET /" + String(repeating: "a", count: HTTPLimits.maxRequestLineBytes)), ["ERR 414"])
    }

    func testHeaderSectionLimit431() {
        // Field lines plus the final empty line make exactly the limit.
        let lineOverhead = "X: \r\n".utf8.count
        let host = "Host: a\r\n"
        let budget = HTTPLimits.maxHeaderSectionBytes - host.utf8.count - 2
        let value = String(repeating: "v", count: budget - lineOverhead)
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\n\(host)X: \(value)\r\n\r\n").first?.hasPrefix("REQ"), true)
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\n\(host)X: \(value)v\r\n\r\n"), ["ERR 431"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nX: " + String(repeating: "v", count: HTTPLimits.maxHeaderSectionBytes)),
                       ["ERR 431"], "detected while the line is still open")
    }

    func testHeaderCountLimit431() {
        let fields = (1..<HTTPLimits.maxHeaderCount).map { "X-\($0): v\r\n" }.joined()
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n").first?.hasPrefix("REQ"), true)
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\n\(fields)X-Last: v\r\n\r\n"), ["ERR 431"])
    }

    func testDefaultBodyLimit413BeforeTheBody() {
        let limit = HTTPLimits.defaultBodyBytes
        XCTAssertEqual(limit, 1_048_576)
        var parser = HTTPParser()
        let atLimit = parser.feed(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit)\r\n\r\n".utf8))
        XCTAssertTrue(atLimit.isEmpty)
        XCTAssertTrue(parser.isReadingBody)
        XCTAssertEqual(parseAll("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit + 1)\r\n\r\n"), ["ERR 413"])
        XCTAssertEqual(parseAll("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n"), ["ERR 413"])
    }

    func testRouteDependentBodyLimit() {
        XCTAssertEqual(HTTPLimits.uploadBodyBytes, 10 * 1024 * 1024 + 64 * 1024)
        var parser = HTTPParser(bodyLimit: { $0.target.hasPrefix("/upload") ? HTTPLimits.uploadBodyBytes : HTTPLimits.defaultBodyBytes })
        let big = HTTPLimits.defaultBodyBytes + 10
        XCTAssertTrue(parser.feed(Array("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(big)\r\n\r\n".utf8)).isEmpty)
        let events = parser.feed([UInt8](repeating: 0x41, count: big))
        XCTAssertEqual(events.count, 1)
        if case .request(_, let body) = events[0] { XCTAssertEqual(body.count, big) } else { XCTFail() }
        XCTAssertEqual(describeEvents(parser.feed(Array("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: \(big)\r\n\r\n".utf8))), ["ERR 413"])
        var upload = HTTPParser(bodyLimit: { _ in HTTPLimits.uploadBodyBytes })
        XCTAssertEqual(describeEvents(upload.feed(Array("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(HTTPLimits.uploadBodyBytes + 1)\r\n\r\n".utf8))), ["ERR 413"])
    }

    func testChunkedBodyLimit413() {
        let h = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        XCTAssertEqual(parseAll(h + "5\r\nabcde\r\n0\r\n\r\n", limit: 5).first?.contains("body=abcde"), true)
        XCTAssertEqual(parseAll(h + "3\r\nabc\r\n3\r\n", limit: 5), ["ERR 413"])
    }

    func testChunkLineLimit() {
        let h = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let ext = String(repeating: "e", count: HTTPLimits.maxChunkLineBytes - 2)
        XCTAssertEqual(parseAll(h + "1;\(ext)\r\nZ\r\n0\r\n\r\n").first?.contains("body=Z"), true)
        XCTAssertEqual(parseAll(h + "1;\(ext)e\r\nZ\r\n0\r\n\r\n"), ["ERR 400"])
    }

    func testTrailerSectionLimit431() {
        let h = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let value = String(repeating: "t", count: HTTPLimits.maxTrailerSectionBytes - "T: \r\n\r\n".utf8.count)
        XCTAssertEqual(parseAll(h + "T: \(value)\r\n\r\n").first?.hasPrefix("REQ"), true)
        XCTAssertEqual(parseAll(h + "T: \(value)t\r\n\r\n"), ["ERR 431"])
    }

    func testLeadingEmptyLinesLimit() {
        let ok = String(repeating: "\r\n", count: HTTPLimits.maxLeadingEmptyLines)
        XCTAssertEqual(parseAll(ok + "GET / HTTP/1.1\r\nHost: a\r\n\r\n").first?.hasPrefix("REQ"), true)
        XCTAssertEqual(parseAll(ok + "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
    }
}
