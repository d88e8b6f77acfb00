import XCTest
@testable import api_gateway

/// Request-target forms (RFC 9112 §3.2) and HTTP/1.x minor versions (RFC 9110 §6.2).
final class HTTPRequestTargetTests: XCTestCase {
    func testNormaliseTable() {
        let cases: [(String, String?, String?)] = [
            ("/health", "/health", nil),
            ("/a?b=c", "/a?b=c", nil),
            ("http://example.com/health", "/health", "example.com"),
            ("HTTP://Example.com:5000/api/leads?page=2", "/api/leads?page=2", "Example.com:5000"),
            ("https://h/x", "/x", "h"),
            ("http://h", "/", "h"),
            ("http://h?x=1", "/?x=1", "h"),
            ("http://127.0.0.1:5000/", "/", "127.0.0.1:5000"),
            ("http:///x", nil, nil),
            ("http://user@h/x", nil, nil),
            ("ftp://h/x", nil, nil),
            ("*", nil, nil),
            ("h:80", nil, nil),
            ("health", nil, nil),
        ]
        for (target, origin, authority) in cases {
            let result = HTTPRequestTarget.normalise(Substring(target))
            XCTAssertEqual(result.map { String($0.originForm) }, origin, target)
            XCTAssertEqual(result?.authority.map(String.init), authority, target)
        }
    }

    func testAbsoluteFormIsServedAsOriginFormWithItsHost() {
        let events = parseAll("GET http://panel.example:5000/health?x=1 HTTP/1.1\r\nHost: other\r\n\r\n")
        XCTAssertEqual(events, ["REQ GET /health?x=1 HTTP/1.1 [Host=panel.example:5000] none ka=true body="])
        XCTAssertEqual(parseAll("GET http://a/ HTTP/1.1\r\n\r\n"), ["ERR 400"], "HTTP/1.1 still needs one Host")
        XCTAssertEqual(parseAll("GET http://a@b/ HTTP/1.1\r\nHost: b\r\n\r\n"), ["ERR 400"])
    }

    func testLaterHTTP1MinorVersionsAreServedAs11() {
        for version in ["HTTP/1.2", "HTTP/1.9"] {
            XCTAssertEqual(parseAll("GET / \(version)\r\nHost: a\r\n\r\n"), ["REQ GET / HTTP/1.1 [Host=a] none ka=true body="], version)
        }
        XCTAssertEqual(parseAll("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), ["ERR 505"])
        XCTAssertEqual(parseAll("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), ["ERR 505"])
    }
}
