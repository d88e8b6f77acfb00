import XCTest
@testable import Shared

final class JSONParserTests: XCTestCase {
    func testScalars() throws {
        XCTAssertEqual(try JSON.parse("null"), .null)
        XCTAssertEqual(try JSON.parse(" true "), .bool(true))
        XCTAssertEqual(try JSON.parse("\tfalse\r\n"), .bool(false))
        XCTAssertEqual(try JSON.parse("\"hi\""), .string("hi"))
        XCTAssertEqual(try JSON.parse("0"), .int(0))
        XCTAssertEqual(try JSON.parse("-12"), .int(-12))
        XCTAssertEqual(try JSON.parse("1.5"), .double(1.5))
    }

    func testNumbers() throws {
        XCTAssertEqual(try JSON.parse("9223372036854775807"), .int(Int64.max))
        XCTAssertEqual(try JSON.parse("-9223372036854775808"), .int(Int64.min))
        XCTAssertEqual(try JSON.parse("9223372036854775808"), .double(9223372036854775808.0))
        XCTAssertEqual(try JSON.parse("-9223372036854775809"), .double(-9223372036854775809.0))
        XCTAssertEqual(try JSON.parse("-0"), .int(0))
        guard case .double(let negZero) = try JSON.parse("-0.0") else { return XCTFail("not a double") }
        XCTAssertEqual(negZero, 0)
        XCTAssertEqual(negZero.sign, .minus)
        XCTAssertEqual(try JSON.parse("1e2"), .double(100))
        XCTAssertEqual(try JSON.parse("1E+2"), .double(100))
        XCTAssertEqual(try JSON.parse("-2.5e-3"), .double(-0.0025))
        XCTAssertEqual(try JSON.parse("0.1"), .double(0.1))
        XCTAssertEqual(try JSON.parse("1e-400"), .double(0))
        XCTAssertThrowsError(try JSON.parse("1e400")) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "Number out of range")
        }
        XCTAssertThrowsError(try JSON.parse("-1e400"))
    }

    func testContainers() throws {
        let v = try JSON.parse(#" { "a" : [1, 2, {"b": null}], "c": "d", "e": {} , "f": [] } "#)
        XCTAssertEqual(v["a"]?.array?.count, 3)
        XCTAssertEqual(v["a"]?.array?[2]["b"], .null)
        XCTAssertEqual(v["c"], .string("d"))
        XCTAssertEqual(v["e"], .object(JSONObject()))
        XCTAssertEqual(v["f"], .array([]))
        XCTAssertEqual(v.object?.keys, ["a", "c", "e", "f"])
    }

    func testDuplicateKeysLastWins() throws {
        let v = try JSON.parse(#"{"a":1,"b":2,"a":3}"#)
        XCTAssertEqual(v["a"], .int(3))
        XCTAssertEqual(v.object?.count, 2)
    }

    func testEscapes() throws {
        XCTAssertEqual(try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t""#), .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        XCTAssertEqual(try JSON.parse(#""\u0041\u00e9\u4e2d""#), .string("Aé中"))
        XCTAssertEqual(try JSON.parse(#""x\u0000y""#), .string("x\u{0}y"))
    }

    func testSurrogatePairs() throws {
        XCTAssertEqual(try JSON.parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try JSON.parse(#""a\uD834\uDD1Eb""#), .string("a𝄞b"))
        for bad in [#""\ud83d""#, #""\ud83dx""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83d\ud83d""#] {
            XCTAssertThrowsError(try JSON.parse(bad), bad) { error in
                XCTAssertEqual((error as? JSONParseError)?.reason, "Lone surrogate in \\u escape", bad)
            }
        }
    }

    func testRawUTF8() throws {
        XCTAssertEqual(try JSON.parse("\"Ўзбек 😀\""), .string("Ўзбек 😀"))
        XCTAssertEqual(try JSON.parse(Array("[\"ё\"]".utf8)), .array(["ё"]))
    }

    func testInvalidUTF8Rejected() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],             // invalid lead byte
            [0x22, 0xC3, 0x22],             // truncated 2-byte sequence
            [0x22, 0xC0, 0x80, 0x22],       // overlong NUL
            [0x22, 0xE0, 0x80, 0x80, 0x22], // overlong 3-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22], // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
            [0x22, 0xE2, 0x82],             // truncated at end
            [0x22, 0x80, 0x22],             // lone continuation
        ]
        for bytes in cases {
            XCTAssertThrowsError(try JSON.parse(bytes), "\(bytes)") { error in
                XCTAssertEqual((error as? JSONParseError)?.reason, "Invalid UTF-8", "\(bytes)")
                XCTAssertEqual((error as? JSONParseError)?.offset, 1, "\(bytes)")
            }
        }
    }

    func testRejections() {
        let bad: [String] = [
            "", " ", "nul", "nulll", "tru", "True", "NaN", "Infinity", "-Infinity", "undefined",
            "01", "-01", "00", "+1", "-", "1.", ".5", "1.e3", "1e", "1e+", "0x10", "1_000",
            "[1,]", "[,1]", "[1 2]", "[", "]", "[1", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
            "{a:1}", "{'a':1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{1:2}",
            "'str'", "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\", "\"tab\there\"",
            "\"new\nline\"", "\"\u{1}\"", "1 2", "[] []", "{}x", "// c\n1", "/* c */ 1", "1 // c",
            "[1]\u{0}", "\u{FEFF}1", "\u{A0}1",
        ]
        for input in bad {
            XCTAssertThrowsError(try JSON.parse(input), "accepted: \(input.debugDescription)")
        }
    }

    func testErrorOffsetsAndMessages() {
        XCTAssertThrowsError(try JSON.parse(#"{"a": 1, "b": x}"#)) { error in
            XCTAssertEqual("\(error)", "Unexpected character 'x' at offset 14")
        }
        XCTAssertThrowsError(try JSON.parse("[1,")) { error in
            XCTAssertEqual("\(error)", "Unexpected end of input at offset 3")
        }
        XCTAssertThrowsError(try JSON.parse("012")) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, 1)
        }
        XCTAssertThrowsError(try JSON.parse("\"a\u{1}\"")) { error in
            XCTAssertEqual("\(error)", "Control character in string at offset 2")
        }
    }

    func testDepthLimit() throws {
        let limit = JSONParser.maxDepth
        XCTAssertEqual(limit, 64)
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNoThrow(try JSON.parse(ok))
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        XCTAssertThrowsError(try JSON.parse(tooDeep)) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, limit)
        }
        let objects = String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        XCTAssertThrowsError(try JSON.parse(objects))
        // A deep but hostile input fails fast instead of overflowing the stack.
        XCTAssertThrowsError(try JSON.parse(String(repeating: "[", count: 1_000_000)))
    }

    func testUnsafeBufferEntryPoint() throws {
        let bytes = Array(#"{"k":[true]}"#.utf8)
        let v = try bytes.withUnsafeBytes { try JSON.parse($0) }
        XCTAssertEqual(v, ["k": [true]])
        let empty = try? [UInt8]().withUnsafeBytes { try JSON.parse($0) }
        XCTAssertNil(empty)
    }

    func testBigObject() throws {
        var text = "{"
        for i in 0..<2000 {
            if i > 0 { text += "," }
            text += "\"key\(i)\":{\"n\":\(i),\"s\":\"v\\n\(i)\",\"a\":[\(i),\(Double(i) + 0.5)]}"
        }
        text += "}"
        let v = try JSON.parse(text)
        XCTAssertEqual(v.object?.count, 2000)
        XCTAssertEqual(v["key1999"]?["n"], .int(1999))
        XCTAssertEqual(v["key7"]?["s"], .string("v\n7"))
        XCTAssertEqual(v.object?.keys.first, "key0")
        XCTAssertEqual(try JSON.parse(v.serialized()), v)
        XCTAssertEqual(v.text, text)
    }
}
