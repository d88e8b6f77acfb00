import XCTest
@testable import api_gateway

final class RouterRequestIDTests: XCTestCase {
    func testSaneIncomingIdIsKept() throws {
        var ids = RequestID(seed: 1)
        let request = try HTTPRequest(method: "GET", target: "/", headers: ["x-request-id": "abc-DEF_123"])
        ids.assign(to: request)
        XCTAssertEqual(request.requestID, "abc-DEF_123")
        XCTAssertEqual(request.responseHeaders["X-Request-ID"], "abc-DEF_123")
    }

    func testBadIncomingIdsAreReplaced() {
        var ids = RequestID(seed: 1)
        let tooLong = String(repeating: "a", count: RequestID.maxIncomingLength + 1)
        for bad in ["", "has space", "semi;colon", "ünï", tooLong] {
            let id = ids.resolve(bad)
            XCTAssertNotEqual(id, bad)
            XCTAssertEqual(id.count, RequestID.generatedHexDigits)
            XCTAssertTrue(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        XCTAssertEqual(ids.resolve(String(repeating: "a", count: RequestID.maxIncomingLength)).count, 64)
    }

    func testGeneratedIdsDifferAndAreReproducibleBySeed() {
        var a = RequestID(seed: 7), b = RequestID(seed: 7)
        let first = (0..<100).map { _ in a.next() }
        XCTAssertEqual(Set(first).count, 100)
        XCTAssertEqual(first, (0..<100).map { _ in b.next() })
    }
}
