import XCTest
@testable import Shared

final class JSONObjectTests: XCTestCase {
    func testOrderReplaceRemoveAcrossTheIndexThreshold() {
        var o = JSONObject()
        let n = JSONObject.linearSearchLimit * 3
        for i in 0..<n { o["k\(i)"] = .int(Int64(i)) }
        XCTAssertEqual(o.count, n)
        XCTAssertEqual(o.keys.first, "k0")
        o["k5"] = "five"
        XCTAssertEqual(o["k5"], "five")
        XCTAssertEqual(o.keys[5], "k5")
        o["k3"] = nil
        XCTAssertNil(o["k3"])
        XCTAssertEqual(o["k4"], .int(4))
        XCTAssertEqual(o["k\(n - 1)"], .int(Int64(n - 1)))
        for i in 4..<n where i != 5 { o["k\(i)"] = nil }
        XCTAssertEqual(o.keys, ["k0", "k1", "k2", "k5"])
        XCTAssertEqual(o["k2"], .int(2))
    }

    func testManyKeysParseAndLastDuplicateWins() throws {
        var text = "{"
        for i in 0..<100_000 { text += "\"key\(i)\":\(i)," }
        text += "\"key7\":\"last\"}"
        let json = try JSON.parse(text)
        XCTAssertEqual(json.object?.count, 100_000)
        XCTAssertEqual(json["key7"], "last")
        XCTAssertEqual(json["key99999"], .int(99_999))
    }
}
