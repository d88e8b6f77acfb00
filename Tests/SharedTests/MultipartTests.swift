import XCTest
@testable import Shared

final class MultipartTests: XCTestCase {
    private let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    private func body(_ s: String) -> [UInt8] { Array(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    private func text(_ part: MultipartPart, _ buffer: [UInt8]) -> String {
        String(decoding: part.body(in: buffer), as: UTF8.self)
    }

    func testBoundaryFromContentType() {
        XCTAssertEqual(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\(boundary)"), boundary)
        XCTAssertEqual(MultipartParser.boundary(fromContentType: "Multipart/Form-Data;boundary=\"a b'c\""), "a b'c")
        XCTAssertEqual(MultipartParser.boundary(fromContentType: "multipart/form-data; charset=utf-8; BOUNDARY=xyz"), "xyz")
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data"))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary="))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"unterminated"))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/mixed; boundary=abc"))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "application/json"))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"trailing \""))
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=bad<char>"))
    }

    func testMaxBoundaryLength() {
        let longest = String(repeating: "b", count: 70)
        XCTAssertEqual(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\(longest)"), longest)
        XCTAssertNil(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\(longest)b"))
        XCTAssertThrowsError(try MultipartParser.parse([], boundary: longest + "b")) {
            XCTAssertEqual($0 as? MultipartError, .invalidBoundary)
        }
    }

    func testFileAndFieldWithPreambleAndEpilogue() throws {
        let raw = body("""
        This is the preamble.
        --\(boundary)
        Content-Disposition: form-data; name="note"

        hello
        --\(boundary)
        Content-Disposition: form-data; name="csvFile"; filename="leads.csv"
        Content-Type: text/csv

        phone,name
        +998901234567,Ali
        --\(boundary)--
        epilogue text
        """)
        let parts = try MultipartParser.parse(raw, boundary: boundary)
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts[0].name, "note")
        XCTAssertNil(parts[0].filename)
        XCTAssertNil(parts[0].contentType)
        XCTAssertEqual(text(parts[0], raw), "hello")
        XCTAssertEqual(parts[1].name, "csvFile")
        XCTAssertEqual(parts[1].filename, "leads.csv")
        XCTAssertEqual(parts[1].contentType, "text/csv")
        XCTAssertEqual(parts[1].mediaType, "text/csv")
        XCTAssertEqual(parts[1].header("Content-Type"), "text/csv")
        XCTAssertEqual(text(parts[1], raw), "phone,name\r\n+998901234567,Ali")
    }

    func testBodyIsARangeIntoTheOriginalBuffer() throws {
        let payload: [UInt8] = [0x00, 0x0D, 0x0A, 0x2D, 0x2D, 0xFF, 0x0D, 0x0A]  // binary, with CRLF and "--"
        var raw = Array("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n".utf8)
        let start = raw.count
        raw += payload
        raw += Array("\r\n--b--\r\n".utf8)
        let parts = try MultipartParser.parse(raw, boundary: "b")
        XCTAssertEqual(parts.map(\.body), [start..<(start + payload.count)])
        XCTAssertEqual(Array(parts[0].body(in: raw)), payload)
    }

    func testBodyMayContainBoundaryLookalikes() throws {
        let raw = body("""
        --abc
        Content-Disposition: form-data; name="f"

        line --abc not at line start
        --abcd is longer
        --abc--
        """)
        // "\r\n--abcd" matches the delimiter prefix but is followed by "d": not CRLF or "--".
        XCTAssertThrowsError(try MultipartParser.parse(raw, boundary: "abc")) {
            XCTAssertEqual($0 as? MultipartError, .malformedDelimiter)
        }
        let ok = body("""
        --abc
        Content-Disposition: form-data; name="f"

        line --abc not at line start
        -abc
        --abc--
        """)
        let parts = try MultipartParser.parse(ok, boundary: "abc")
        XCTAssertEqual(text(parts[0], ok), "line --abc not at line start\r\n-abc")
    }

    func testEmptyPartBodyAndTransportPadding() throws {
        let raw = body("--x  \nContent-Disposition: form-data; name=\"empty\"\n\n\n--x\t\nContent-Disposition: form-data; name=\"b\"\n\nB\n--x--")
        let parts = try MultipartParser.parse(raw, boundary: "x")
        XCTAssertEqual(parts.map(\.name), ["empty", "b"])
        XCTAssertTrue(parts[0].body.isEmpty)
        XCTAssertEqual(text(parts[1], raw), "B")
    }

    func testMissingFinalBoundary() {
        let truncated = [
            body("--x\nContent-Disposition: form-data; name=\"a\"\n\nunfinished"),
            body("--x\nContent-Disposition: form-data; name=\"a\"\n\nA\n--x"),
            body("--x\nContent-Disposition: form-data; name=\"a\"\n\nA\n--x\n"),
            body("--x\nContent-Disposition: form-data; name=\"a\""),
        ]
        for raw in truncated {
            XCTAssertThrowsError(try MultipartParser.parse(raw, boundary: "x")) {
                XCTAssertEqual($0 as? MultipartError, .missingFinalBoundary)
            }
        }
        XCTAssertThrowsError(try MultipartParser.parse(body("no boundary here"), boundary: "x")) {
            XCTAssertEqual($0 as? MultipartError, .missingOpeningBoundary)
        }
    }

    func testBareLFIsNotADelimiterLine() {
        let raw = Array("--x\nContent-Disposition: form-data; name=\"a\"\n\nA\n--x--\n".utf8)
        XCTAssertThrowsError(try MultipartParser.parse(raw, boundary: "x")) {
            XCTAssertEqual($0 as? MultipartError, .malformedDelimiter)
        }
    }

    func testMalformedPartHeaders() {
        let cases = [
            "--x\nNoColonHere\n\nA\n--x--",
            "--x\nContent-Type: text/plain\n\nA\n--x--",
            "--x\nContent-Disposition: attachment; name=\"a\"\n\nA\n--x--",
            "--x\nContent-Disposition: form-data\n\nA\n--x--",
            "--x\n\nA\n--x--",
            "--x\n Content-Disposition: form-data; name=\"a\"\n\nA\n--x--",
        ]
        for c in cases {
            XCTAssertThrowsError(try MultipartParser.parse(body(c), boundary: "x"), c) {
                XCTAssertEqual($0 as? MultipartError, .malformedPartHeaders, c)
            }
        }
    }

    func testHeaderDetails() throws {
        let raw = body("""
        --x
        content-disposition: form-data; name="csvFile"; filename="a \\"q\\".csv"; filename*=UTF-8''%D0%BB%D0%B8%D0%B4%D1%8B.csv
        CONTENT-TYPE:   text/CSV; charset=utf-8
        X-Folded: one
         two

        A
        --x--
        """)
        let part = try XCTUnwrap(try MultipartParser.parse(raw, boundary: "x").first)
        XCTAssertEqual(part.filename, "лиды.csv")
        XCTAssertEqual(part.contentType, "text/CSV; charset=utf-8")
        XCTAssertEqual(part.mediaType, "text/csv")
        XCTAssertEqual(part.header("x-folded"), "one two")
        XCTAssertEqual(part.headers.map(\.name), ["content-disposition", "content-type", "x-folded"])
    }

    func testMaxParts() throws {
        func make(_ count: Int) -> [UInt8] {
            var s = ""
            for i in 0..<count { s += "--x\nContent-Disposition: form-data; name=\"f\(i)\"\n\nv\(i)\n" }
            return body(s + "--x--")
        }
        XCTAssertEqual(try MultipartParser.parse(make(16), boundary: "x").count, 16)
        XCTAssertThrowsError(try MultipartParser.parse(make(17), boundary: "x")) {
            XCTAssertEqual($0 as? MultipartError, .tooManyParts)
        }
    }

    func testMaxPartHeaderBytes() throws {
        let disposition = "Content-Disposition: form-data; name=\"f\"\r\n"
        func make(headerBlockBytes: Int) -> [UInt8] {
            // Header block = disposition + "X-Pad: <pad>\r\n" + "\r\n".
            let padLength = headerBlockBytes - disposition.utf8.count - "X-Pad: \r\n\r\n".utf8.count
            let block = disposition + "X-Pad: " + String(repeating: "p", count: padLength) + "\r\n\r\n"
            return Array(("--x\r\n" + block + "A\r\n--x--").utf8)
        }
        XCTAssertEqual(try MultipartParser.parse(make(headerBlockBytes: 8192), boundary: "x").count, 1)
        XCTAssertThrowsError(try MultipartParser.parse(make(headerBlockBytes: 8193), boundary: "x")) {
            XCTAssertEqual($0 as? MultipartError, .headersTooLarge)
        }
    }

    func testHeaderParameters() {
        let h = HeaderParameters(parsing: #"Form-Data; name="a;b"; filename=plain.csv ; junk; q="x\"y""#)
        XCTAssertEqual(h.value, "form-data")
        XCTAssertEqual(h["NAME"], "a;b")
        XCTAssertEqual(h["filename"], "plain.csv")
        XCTAssertEqual(h["q"], #"x"y"#)
        XCTAssertNil(h["junk"])
    }
}
