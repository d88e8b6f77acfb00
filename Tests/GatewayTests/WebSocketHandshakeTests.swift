/// Tests of `WebSocketHandshake` and `WebSocketOriginPolicy`: the RFC 6455 example key, every
/// refusal with its status and headers, token and case handling, and the origin rules.
import XCTest
@testable import api_gateway

final class WebSocketHandshakeTests: XCTestCase {
    private let key = "dGhlIHNhbXBsZSBub25jZQ=="

    private func request(_ overrides: [String: String?] = [:]) -> [(String, String)] {
        var headers: [(String, String)] = [("Host", "server.example.com"), ("Upgrade", "websocket"),
                                           ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key),
                                           ("Sec-WebSocket-Version", "13"), ("Origin", "http://example.com")]
        for (name, value) in overrides {
            headers.removeAll { $0.0 == name }
            if let value { headers.append((name, value)) }
        }
        return headers
    }

    private func evaluate(_ overrides: [String: String?] = [:], method: String = "GET",
                          origins: WebSocketOriginPolicy = .allowAll) -> WebSocketHandshake.Result {
        WebSocketHandshake.evaluate(method: method, headers: request(overrides), origins: origins)
    }

    func testRFCExampleAcceptKey() {
        XCTAssertEqual(WebSocketHandshake.acceptKey(for: key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let result = evaluate()
        XCTAssertEqual(result, .accept(acceptKey: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        XCTAssertEqual(result.status, 101)
        XCTAssertEqual(result.responseHeaders.map { "\($0.0): \($0.1)" },
                       ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])
    }

    func testMethodMustBeGET() {
        let result = evaluate(method: "POST")
        XCTAssertEqual(result.status, 405)
        XCTAssertEqual(result.responseHeaders.first?.1, "GET")
    }

    func testUpgradeAndConnectionTokensCaseInsensitive() {
        XCTAssertEqual(evaluate(["Upgrade": "WebSocket", "Connection": "keep-alive, UPGRADE"]).status, 101)
        XCTAssertEqual(evaluate(["Upgrade": nil]).status, 400)
        XCTAssertEqual(evaluate(["Upgrade": "h2c"]).status, 400)
        XCTAssertEqual(evaluate(["Connection": nil]).status, 400)
        XCTAssertEqual(evaluate(["Connection": "keep-alive"]).status, 400)
        XCTAssertEqual(evaluate(["Connection": "upgraded"]).status, 400)
    }

    func testSplitConnectionHeaderLinesAreJoined() {
        var headers = request()
        headers.removeAll { $0.0 == "Connection" }
        headers += [("connection", "keep-alive"), ("CONNECTION", "Upgrade")]
        XCTAssertEqual(WebSocketHandshake.evaluate(method: "GET", headers: headers, origins: .allowAll).status, 101)
    }

    func testWrongOrMissingVersionGets426WithOurVersion() {
        for version: String? in ["8", "12", "", nil] {
            let result = evaluate(["Sec-WebSocket-Version": version])
            XCTAssertEqual(result, .reject(status: 426, reason: "Unsupported WebSocket version"))
            XCTAssertEqual(result.responseHeaders.map { "\($0.0): \($0.1)" }, ["Sec-WebSocket-Version: 13"])
        }
        XCTAssertEqual(evaluate(["Sec-WebSocket-Version": " 13 "]).status, 101)
    }

    func testKeyMustBeBase64Of16Bytes() {
        XCTAssertEqual(evaluate(["Sec-WebSocket-Key": nil]).status, 400)
        for bad in ["", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZSE=",
                    "dGhlIHNhbXBsZSBub25jZQ==dGhl", "dGhlIHNhbXBsZSBub25j*Q=="] {
            XCTAssertEqual(evaluate(["Sec-WebSocket-Key": bad]), .reject(status: 400, reason: "Invalid Sec-WebSocket-Key"), bad)
        }
        XCTAssertTrue(WebSocketHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="))
        XCTAssertEqual(WebSocketLimits.handshakeNonceBytes, 16)
    }

    func testOriginPolicy() {
        let policy = WebSocketOriginPolicy(allowed: ["https://panel.ibrat.uz", "http://localhost:3000/"])
        XCTAssertTrue(policy.allows("https://panel.ibrat.uz"))
        XCTAssertTrue(policy.allows("HTTPS://Panel.Ibrat.uz"))
        XCTAssertTrue(policy.allows("http://localhost:3000"))
        XCTAssertTrue(policy.allows(nil), "non-browser clients send no Origin")
        XCTAssertFalse(policy.allows("https://evil.example"))
        XCTAssertFalse(policy.allows("https://panel.ibrat.uz.evil.example"))
        XCTAssertFalse(policy.allows("null"))
        XCTAssertFalse(WebSocketOriginPolicy(allowed: []).allows("https://panel.ibrat.uz"))
        XCTAssertTrue(WebSocketOriginPolicy.allowAll.allows("https://anything.example"))
        XCTAssertTrue(WebSocketOriginPolicy(allowed: [" * "]).allows("null"))
    }

    func testOriginCheckInHandshake() {
        let policy = WebSocketOriginPolicy(allowed: ["https://panel.ibrat.uz"])
        XCTAssertEqual(evaluate(["Origin": "https://evil.example"], origins: policy), .reject(status: 403, reason: "Origin not allowed"))
        XCTAssertEqual(evaluate(["Origin": "https://panel.ibrat.uz"], origins: policy).status, 101)
        XCTAssertEqual(evaluate(["Origin": nil], origins: policy).status, 101)
    }

    func testClosureLookupVariant() {
        let result = WebSocketHandshake.evaluate(method: "GET", header: { name in
            ["upgrade": "websocket", "connection": "Upgrade", "sec-websocket-key": self.key,
             "sec-websocket-version": "13"][name.lowercased()]
        }, origins: .allowAll)
        XCTAssertEqual(result, .accept(acceptKey: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
    }
}
