import XCTest
@testable import Shared

final class CSVParserTests: XCTestCase {
    private func parse(_ text: String) throws -> [[String]] {
        try CSVParser.records(Array(text.utf8)).map(\.fields)
    }

    private func lines(_ text: String) throws -> [Int] {
        try CSVParser.records(Array(text.utf8)).map(\.line)
    }

    func testSimpleRecordsAndTrailingLineEndIgnored() throws {
        XCTAssertEqual(try parse("a,b,c\n1,2,3\n"), [["a", "b", "c"], ["1", "2", "3"]])
        XCTAssertEqual(try parse("a,b,c\n1,2,3"), [["a", "b", "c"], ["1", "2", "3"]])
        XCTAssertEqual(try parse(""), [])
        XCTAssertEqual(try parse("\n"), [[""]])
    }

    func testLineEndings() throws {
        let expected = [["a", "b"], ["1", "2"], ["3", "4"]]
        XCTAssertEqual(try parse("a,b\r\n1,2\r\n3,4\r\n"), expected)
        XCTAssertEqual(try parse("a,b\r1,2\r3,4\r"), expected)
        XCTAssertEqual(try parse("a,b\n1,2\r\n3,4\r"), expected)
        XCTAssertEqual(try lines("a,b\r\n1,2\r3,4\n5,6"), [1, 2, 3, 4])
    }

    func testQuotedFields() throws {
        XCTAssertEqual(try parse(#""a,b","say ""hi""",""\#n"#), [["a,b", #"say "hi""#, ""]])
        XCTAssertEqual(try parse("\"line1\nline2\",x\nnext,y\n"), [["line1\nline2", "x"], ["next", "y"]])
        XCTAssertEqual(try parse("\"crlf\r\ninside\",x\r\n"), [["crlf\r\ninside", "x"]])
    }

    func testLineNumbersCountPhysicalLinesInsideQuotes() throws {
        let text = "h1,h2\n\"multi\nline\r\nvalue\",x\nafter,y\n\n\"q\rr\",z\n"
        XCTAssertEqual(try lines(text), [1, 2, 5, 6, 7])
        XCTAssertEqual(try parse(text)[3], [""])
    }

    func testBOMIsStripped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("phone,name\n1,2\n".utf8)
        XCTAssertEqual(try CSVParser.records(bytes).map(\.fields), [["phone", "name"], ["1", "2"]])
        XCTAssertEqual(try CSVParser.records([0xEF, 0xBB, 0xBF]).count, 0)
    }

    func testLenientQuotes() throws {
        XCTAssertEqual(try parse("ab\"c,d\n"), [["ab\"c", "d"]], "quote inside an unquoted field is literal")
        XCTAssertEqual(try parse("\"ab\"c,d\n"), [["abc", "d"]], "text after a closing quote is appended")
        XCTAssertEqual(try parse(" \"a\",b\n"), [[" \"a\"", "b"]], "a field that does not start with a quote is unquoted")
    }

    func testUnterminatedQuoteIsAnErrorNamingTheStartLine() {
        XCTAssertThrowsError(try parse("a,b\n1,\"open\n2,3\n")) {
            XCTAssertEqual($0 as? CSVError, .unterminatedQuote(line: 2))
            XCTAssertEqual(($0 as? CSVError)?.description, "Unterminated quoted field starting at line 2")
        }
        XCTAssertThrowsError(try parse("\"")) { XCTAssertEqual($0 as? CSVError, .unterminatedQuote(line: 1)) }
    }

    func testEmptyFieldsAndTrailingSeparator() throws {
        XCTAssertEqual(try parse(",,\n"), [["", "", ""]])
        XCTAssertEqual(try parse("a,"), [["a", ""]])
        XCTAssertEqual(try parse("a,\n"), [["a", ""]])
        XCTAssertEqual(try parse("a,\"\""), [["a", ""]])
    }

    func testUTF8AndInvalidBytes() throws {
        XCTAssertEqual(try parse("Иван,Ташкент\n"), [["Иван", "Ташкент"]])
        XCTAssertEqual(try CSVParser.records([0x61, 0xFF, 0x2C, 0x62]).map(\.fields), [["a\u{FFFD}", "b"]])
    }

    func testMaxFieldBytes() throws {
        let fits = String(repeating: "x", count: 65_536)
        XCTAssertEqual(try parse("a\n" + fits + "\n")[1][0].utf8.count, 65_536)
        XCTAssertEqual(try parse("\"" + fits + "\"\n")[0][0].utf8.count, 65_536)
        XCTAssertThrowsError(try parse("a\n" + fits + "x\n")) { XCTAssertEqual($0 as? CSVError, .fieldTooLarge(line: 2)) }
        XCTAssertThrowsError(try parse("\"" + fits + "x\"")) { XCTAssertEqual($0 as? CSVError, .fieldTooLarge(line: 1)) }
        XCTAssertThrowsError(try parse("\"" + fits + "\"x")) { XCTAssertEqual($0 as? CSVError, .fieldTooLarge(line: 1)) }
    }

    func testMaxColumns() throws {
        let fits = Array(repeating: "c", count: 256).joined(separator: ",")
        XCTAssertEqual(try parse(fits + "\n")[0].count, 256)
        XCTAssertThrowsError(try parse("h\n" + fits + ",c\n")) { XCTAssertEqual($0 as? CSVError, .tooManyColumns(line: 2)) }
        XCTAssertThrowsError(try parse(fits + ",")) { XCTAssertEqual($0 as? CSVError, .tooManyColumns(line: 1)) }
    }

    func testCallbackCanAbort() {
        struct Stop: Error {}
        var seen = 0
        XCTAssertThrowsError(try CSVParser.parse(Array("a\nb\nc\n".utf8)) { _, _ in
            seen += 1
            if seen == 2 { throw Stop() }
        })
        XCTAssertEqual(seen, 2)
    }
}
