import XCTest
@testable import api_gateway

/// Renders parser events as comparable text.
func describeEvents(_ events: [HTTPParserEvent]) -> [String] {
    events.map { event in
        switch event {
        case .request(let head, let body):
            let fields = head.headers.fields.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
            return "REQ \(head.method) \(head.target) \(head.version.text) [\(fields)] \(head.framing) ka=\(head.keepAlive) body=\(String(decoding: body, as: UTF8.self))"
        case .expectContinue(let head): return "CONTINUE \(head.target)"
        case .failure(let error): return "ERR \(error.status)"
        }
    }
}

func parseAll(_ text: String, limit: Int = HTTPLimits.defaultBodyBytes) -> [String] {
    var parser = HTTPParser(bodyLimit: { _ in limit })
    return describeEvents(parser.feed(Array(text.utf8)))
}

final class HTTPParserTests: XCTestCase {
    static let pipelined = "\r\n"
        + "GET /api/leads?page=2&limit=5 HTTP/1.1\r\nHost: x\r\nAccept:  application/json \r\n\r\n"
        + "POST /api/leads HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\nContent-Type: application/json\r\n\r\n{\"name\":\"ab\"}"
        + "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\nWiki\r\n5 ; a=\"b\"\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: yes\r\n\r\n"
        + "GET /bye HTTP/1.0\r\n\r\n"

    static let samples: [String] = [
        pipelined,
        "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\nHost: a\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
    ]

    func testPipelinedRequestsParse() {
        let events = parseAll(Self.pipelined)
        XCTAssertEqual(events, [
            "REQ GET /api/leads?page=2&limit=5 HTTP/1.1 [Host=x;Accept=application/json] none ka=true body=",
            "REQ POST /api/leads HTTP/1.1 [Host=x;Content-Length=13;Content-Type=application/json] length(13) ka=true body={\"name\":\"ab\"}",
            "REQ POST /up HTTP/1.1 [Host=x;Transfer-Encoding=chunked] chunked ka=true body=Wikipedia in\r\n\r\nchunks.",
            "REQ GET /bye HTTP/1.0 [] none ka=false body=",
        ])
    }

    func testEverySplitGivesTheSameEvents() {
        for sample in Self.samples {
            let bytes = Array(sample.utf8)
            var whole = HTTPParser()
            let expected = describeEvents(whole.feed(bytes))
            XCTAssertFalse(expected.isEmpty)
            for cut in 0...bytes.count {
                var parser = HTTPParser()
                var events = parser.feed(Array(bytes[..<cut]))
                events += parser.feed(Array(bytes[cut...]))
                XCTAssertEqual(describeEvents(events), expected, "split at \(cut) of \(sample.debugDescription)")
            }
            var bytewise = HTTPParser()
            var events: [HTTPParserEvent] = []
            for b in bytes { events += bytewise.feed([b]) }
            XCTAssertEqual(describeEvents(events), expected, "byte by byte: \(sample.debugDescription)")
        }
    }

    func testNextStopsAfterEachRequest() {
        var parser = HTTPParser()
        let bytes = Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let first = bytes.withUnsafeBytes { parser.next($0) }
        XCTAssertEqual(first.consumed, 28)
        XCTAssertEqual(describeEvents([first.event!]).first?.hasPrefix("REQ GET /a"), true)
        XCTAssertTrue(parser.isIdle)
        let second = bytes.withUnsafeBytes { parser.next(UnsafeRawBufferPointer(rebasing: $0[28...])) }
        XCTAssertEqual(second.consumed, 28)
    }

    func testStateFlags() {
        var parser = HTTPParser()
        XCTAssertTrue(parser.isIdle)
        _ = parser.feed(Array("GET / HT".utf8))
        XCTAssertTrue(parser.isReadingHead)
        _ = parser.feed(Array("TP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab".utf8))
        XCTAssertTrue(parser.isReadingBody)
        _ = parser.feed(Array("cd".utf8))
        XCTAssertTrue(parser.isIdle)
        _ = parser.feed(Array("\r\n".utf8))
        XCTAssertTrue(parser.isReadingHead, "an empty line before a request starts the head timer")
    }

    func testExpectContinue() {
        XCTAssertEqual(parseAll("PUT /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"),
                       ["CONTINUE /e", "REQ PUT /e HTTP/1.1 [Host=a;Expect=100-continue;Content-Length=3] length(3) ka=true body=abc"])
        XCTAssertEqual(parseAll("PUT /e HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n"), ["ERR 417"])
    }

    func testKeepAliveRules() {
        XCTAssertTrue(parseAll("GET / HTTP/1.1\r\nHost: a\r\n\r\n")[0].contains("ka=true"))
        XCTAssertTrue(parseAll("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Close\r\n\r\n")[0].contains("ka=false"))
        XCTAssertTrue(parseAll("GET / HTTP/1.0\r\n\r\n")[0].contains("ka=false"))
        XCTAssertTrue(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")[0].contains("ka=true"))
    }

    func testRequestLineErrors() {
        XCTAssertEqual(parseAll("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), ["ERR 505"])
        XCTAssertEqual(parseAll("GET / HTTP/3.1\r\nHost: a\r\n\r\n"), ["ERR 505"])
        XCTAssertEqual(parseAll("GET / HTTX/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET /  HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET ftp://x/ HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("G(T / HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\nHost: a\r\n\r\n"), ["ERR 400"], "bare LF")
        XCTAssertEqual(parseAll("GET / HTTP/1.1\rHost: a\r\n\r\n"), ["ERR 400"], "bare CR")
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\n\r\n"), ["ERR 400"], "Host missing")
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), ["ERR 400"], "two Hosts")
    }

    func testHeaderFieldErrors() {
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{1}b\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n").first?.contains("X-Empty=]"), true)
    }

    func testFramingRules() {
        let h = "POST / HTTP/1.1\r\nHost: a\r\n"
        XCTAssertEqual(parseAll(h + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Transfer-Encoding: gzip, chunked\r\n\r\n"), ["ERR 501"])
        XCTAssertEqual(parseAll(h + "Transfer-Encoding: gzip\r\n\r\n"), ["ERR 501"])
        XCTAssertEqual(parseAll(h + "Transfer-Encoding: chunked, chunked\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Transfer-Encoding: chunked,\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Content-Length: +3\r\n\r\nabc"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Content-Length: 3, 4\r\n\r\nabcd"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Content-Length: \r\n\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc").first?.contains("length(3)"), true)
        XCTAssertEqual(parseAll(h + "Content-Length: 3, 3\r\n\r\nabc").first?.contains("body=abc"), true)
        XCTAssertEqual(parseAll(h + "Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n").first?.contains("chunked"), true)
    }

    func testChunkedErrors() {
        let h = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        XCTAssertEqual(parseAll(h + "x\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "3\r\nabcd\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "3 x\r\nabc\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "3\nabc\r\n"), ["ERR 400"])
        XCTAssertEqual(parseAll(h + "FFFFFFFFFFFFFFFFFFFFFF\r\n"), ["ERR 413"])
    }

    func testFailedParserIgnoresFurtherInput() {
        var parser = HTTPParser()
        XCTAssertEqual(describeEvents(parser.feed(Array("BAD\r\n\r\n".utf8))), ["ERR 400"])
        XCTAssertTrue(parser.hasFailed)
        XCTAssertTrue(parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)).isEmpty)
    }
}
