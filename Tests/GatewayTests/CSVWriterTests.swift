import XCTest
@testable import api_gateway

/// `CSVWriter`: RFC 4180 quoting and the formula guard, from a table; E.164 numbers unguarded.
final class CSVWriterTests: XCTestCase {
    func testCellsFromATable() {
        let table: [(String, String, UInt)] = [
            ("plain", "plain", #line),
            ("", "", #line),
            ("a,b", "\"a,b\"", #line),
            ("say \"hi\"", "\"say \"\"hi\"\"\"", #line),
            ("two\nlines", "\"two\nlines\"", #line),
            ("cr\rhere", "\"cr\rhere\"", #line),
            ("=1+2", "'=1+2", #line),
            ("-2", "'-2", #line),
            ("@SUM(A1)", "'@SUM(A1)", #line),
            ("\tx", "'\tx", #line),
            ("\rx", "\"'\rx\"", #line),
            ("=HYPERLINK(\"u\",\"c\")", "\"'=HYPERLINK(\"\"u\"\",\"\"c\"\")\"", #line),
            ("+998901234567", "+998901234567", #line),                 // E.164: imports again
            ("+1", "+1", #line),
            ("+123456789012345", "+123456789012345", #line),           // 15 digits, the most
            ("+1234567890123456", "'+1234567890123456", #line),        // 16: not a number any more
            ("+", "'+", #line),
            ("+1-555", "'+1-555", #line),
            ("+1 555", "'+1 555", #line),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0", #line),
            ("ünïcödé ☎", "ünïcödé ☎", #line),
        ]
        for (input, expected, line) in table {
            XCTAssertEqual(CSVWriter.cell(input), expected, line: line)
        }
        XCTAssertEqual(CSVWriter.maxPhoneDigits, 15)
    }

    func testRowsEndInCRLFAndJoinWithCommas() {
        var writer = CSVWriter()
        writer.row(["phone", "reason"])
        writer.row(["+12125550000", "a, b"])
        writer.row([])
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), "phone,reason\r\n+12125550000,\"a, b\"\r\n\r\n")
    }
}
