import XCTest
@testable import api_gateway
import Shared

final class ClientAddressTests: XCTestCase {
    private let resolver = ClientAddress(trustedProxies: CIDRBlock.parseList("127.0.0.1, 10.0.0.0/8").blocks)

    private func resolve(_ peer: String, _ headers: [(String, String)]) -> String {
        resolver.resolve(peer: peer, headers: HTTPHeaders(headers))
    }

    func testUntrustedPeerIsTheClientWhateverItSends() {
        XCTAssertEqual(resolve("203.0.113.9", [("X-Forwarded-For", "1.2.3.4")]), "203.0.113.9")
        XCTAssertEqual(resolve("203.0.113.9", [("Forwarded", "for=1.2.3.4")]), "203.0.113.9")
        let none = ClientAddress(trustedProxies: [])
        XCTAssertEqual(none.resolve(peer: "127.0.0.1", headers: HTTPHeaders([("X-Forwarded-For", "1.2.3.4")])), "127.0.0.1")
    }

    func testTrustedProxyForwardsTheRightmostUntrustedAddress() {
        let rows: [([(String, String)], String)] = [
            ([("X-Forwarded-For", "198.51.100.7")], "198.51.100.7"),
            // A client that sends its own header cannot choose its address: the proxy appended the real one.
            ([("X-Forwarded-For", "6.6.6.6, 198.51.100.7")], "198.51.100.7"),
            // Inner proxies are skipped.
            ([("X-Forwarded-For", "198.51.100.7, 10.1.1.1")], "198.51.100.7"),
            ([("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "198.51.100.8")], "198.51.100.8"),
            ([("X-Forwarded-For", "198.51.100.7:4711")], "198.51.100.7"),
            ([("X-Forwarded-For", "[2001:db8::1]:80")], "2001:db8::1"),
            ([("X-Forwarded-For", "2001:db8::2")], "2001:db8::2"),
            // Garbage stops the walk at the last trusted hop.
            ([("X-Forwarded-For", "garbage")], "127.0.0.1"),
            ([("X-Forwarded-For", "10.2.2.2, garbage, 10.1.1.1")], "10.1.1.1"),
            ([("Forwarded", "for=198.51.100.9;proto=https")], "198.51.100.9"),
            ([("Forwarded", "for=6.6.6.6, for=\"[2001:db8::3]:8080\"")], "2001:db8::3"),
            ([], "127.0.0.1"),
        ]
        for (headers, expected) in rows {
            XCTAssertEqual(resolve("127.0.0.1", headers), expected, "\(headers)")
        }
    }
}
