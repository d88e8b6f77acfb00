import XCTest
@testable import Shared

final class JSONSerializerTests: XCTestCase {
    func testScalars() {
        XCTAssertEqual(JSON.null.text, "null")
        XCTAssertEqual(JSON.bool(true).text, "true")
        XCTAssertEqual(JSON.bool(false).text, "false")
        XCTAssertEqual(JSON.int(0).text, "0")
        XCTAssertEqual(JSON.int(7).text, "7")
        XCTAssertEqual(JSON.int(-42).text, "-42")
        XCTAssertEqual(JSON.int(Int64.max).text, "9223372036854775807")
        XCTAssertEqual(JSON.int(Int64.min).text, "-9223372036854775808")
    }

    func testDoubles() {
        XCTAssertEqual(JSON.double(3).text, "3")
        XCTAssertEqual(JSON.double(-3).text, "-3")
        XCTAssertEqual(JSON.double(-0.0).text, "0")
        XCTAssertEqual(JSON.double(1.5).text, "1.5")
        XCTAssertEqual(JSON.double(0.1).text, "0.1")
        XCTAssertEqual(JSON.double(9_007_199_254_740_992).text, "9007199254740992")
        XCTAssertEqual(JSON.double(1e20).text, "1e+20")
        XCTAssertEqual(JSON.double(.nan).text, "null")
        XCTAssertEqual(JSON.double(.infinity).text, "null")
        XCTAssertEqual(JSON.double(-.infinity).text, "null")
        for d in [0.1, 1e-7, 123.456, 1e300, -2.5e-300, .leastNonzeroMagnitude, 1.7976931348623157e308, 1e16] {
            let back = try? JSON.parse(JSON.double(d).text)
            XCTAssertEqual(back?.double, d, "\(d)")
        }
    }

    func testStringEscaping() {
        XCTAssertEqual(JSON.string("plain").text, #""plain""#)
        XCTAssertEqual(JSON.string("a\"b\\c/d").text, #""a\"b\\c/d""#)
        XCTAssertEqual(JSON.string("\n\r\t\u{8}\u{c}").text, #""\n\r\t\b\f""#)
        XCTAssertEqual(JSON.string("\u{0}\u{1f}\u{7f}").text, "\"\\u0000\\u001f\u{7f}\"")
        XCTAssertEqual(JSON.string("Ўзбек 😀").serialized(), Array("\"Ўзбек 😀\"".utf8))
        XCTAssertEqual(JSON.string("").text, #""""#)
    }

    func testContainersCompactAndOrdered() {
        let v: JSON = ["_id": "abc", "z": [1, 2.5, nil, true], "a": ["n": [:]], "e": []]
        XCTAssertEqual(v.text, #"{"_id":"abc","z":[1,2.5,null,true],"a":{"n":{}},"e":[]}"#)
    }

    func testSerializeIntoAppends() {
        var out = Array("prefix:".utf8)
        JSON.array([1, "x"]).serialize(into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"prefix:[1,"x"]"#)
    }

    func testRoundTrips() throws {
        let samples = [
            #"{"a":[1,-2,3.25,"x\u0001y",{"b":null,"c":false}],"d":"Ўзбек😀","e":-9223372036854775808}"#,
            #"[[[[]]],{},"",0,1e-7,"\\\"/"]"#,
            #""\ud83d\ude00\u00e9""#,
        ]
        for s in samples {
            let v = try JSON.parse(s)
            XCTAssertEqual(try JSON.parse(v.serialized()), v, s)
            XCTAssertEqual(try JSON.parse(v.text).text, v.text, s)
        }
        var all = ""
        for c in 0..<0x80 { all.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        let s = JSON.string(all)
        XCTAssertEqual(try JSON.parse(s.text), s)
    }
}
