import XCTest
@testable import api_gateway
@testable import Shared

/// The CORS preflight of `/socket.io/`, as socket.io servers answer it: an allowed origin echoed
/// with credentials and `Vary: Origin`, the asked request headers allowed; a refused origin gets
/// no allow headers.
final class EngineIOCORSTests: XCTestCase {
    private func preflight(_ h: EngineIOHarness, origin: String?, asking: String? = "content-type, x-requested-with") throws -> HTTPResponse? {
        var headers: HTTPHeaders = ["Access-Control-Request-Method": "POST"]
        if let origin { headers.add("Origin", origin) }
        if let asking { headers.add("Access-Control-Request-Headers", asking) }
        return try h.request("OPTIONS", "EIO=4&transport=polling", headers: headers).last
    }

    func testAllowedOriginIsEchoedWithCredentialsAndTheAskedHeaders() throws {
        var options = EngineIOServerOptions()
        options.allowedOrigins = ["https://panel.example.com"]
        let h = try EngineIOHarness(options: options)
        let ok = try preflight(h, origin: "https://panel.example.com")
        XCTAssertEqual(ok?.status, 204)
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Origin"], "https://panel.example.com")
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Credentials"], "true")
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Headers"], "content-type, x-requested-with")
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Methods"], "OPTIONS, GET, POST")
        XCTAssertEqual(ok?.headers["Vary"], "Origin, Access-Control-Request-Headers")
        XCTAssertEqual(h.server.sessionCount, 0, "a preflight opens no session")
        XCTAssertNil(try preflight(h, origin: "https://panel.example.com", asking: nil)?.headers["Access-Control-Allow-Headers"])
    }

    func testRefusedOriginGetsNoAllowHeaders() throws {
        var options = EngineIOServerOptions()
        options.allowedOrigins = ["https://panel.example.com"]
        let h = try EngineIOHarness(options: options)
        for origin in ["https://evil.example", nil] {
            let refused = try preflight(h, origin: origin)
            XCTAssertEqual(refused?.status, 204)
            XCTAssertEqual(refused?.headers["Vary"], "Origin, Access-Control-Request-Headers")
            for name in ["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers"] {
                XCTAssertNil(refused?.headers[name], "\(name) for \(origin ?? "no origin")")
            }
        }
    }

    func testWildcardConfigurationEchoesAnyOrigin() throws {
        let h = try EngineIOHarness()
        let ok = try preflight(h, origin: "http://localhost:3000")
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Origin"], "http://localhost:3000")
        XCTAssertEqual(ok?.headers["Access-Control-Allow-Credentials"], "true")
    }

    func testThePipelineLeavesSocketIOPreflightsToTheEndpoint() {
        XCTAssertTrue(EngineIOServer.owns("/socket.io/"))
        XCTAssertTrue(EngineIOServer.owns("/socket.io"))
        XCTAssertFalse(EngineIOServer.owns("/socket.iox"))
        XCTAssertFalse(EngineIOServer.owns("/api/leads"))
    }
}
