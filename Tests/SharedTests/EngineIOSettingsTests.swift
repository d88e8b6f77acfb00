import XCTest
@testable import Shared

/// `IBRAT_EIO_*` and `IBRAT_SLOW_REQUEST_MS`: defaults as before, good values read, bad values
/// refused naming the variable (the gateway stops at start-up with that message).
final class EngineIOSettingsTests: XCTestCase {
    func testDefaultsAreTheEngineIOServersDefaults() throws {
        let config = try Config.load(environment: [:])
        XCTAssertEqual(config.engineIO, EngineIOSettings(pingIntervalMillis: 25_000, pingTimeoutMillis: 20_000,
                                                         connectTimeoutMillis: 45_000, maxPayloadBytes: 1_000_000))
        XCTAssertEqual(config.slowRequestMillis, 500)
    }

    func testValuesAreRead() throws {
        let config = try Config.load(environment: [
            "IBRAT_EIO_PING_INTERVAL_MS": "300", "IBRAT_EIO_PING_TIMEOUT_MS": "200",
            "IBRAT_EIO_CONNECT_TIMEOUT_MS": " 1500 ", "IBRAT_EIO_MAX_PAYLOAD": "2048", "IBRAT_SLOW_REQUEST_MS": "0",
        ])
        XCTAssertEqual(config.engineIO, EngineIOSettings(pingIntervalMillis: 300, pingTimeoutMillis: 200,
                                                         connectTimeoutMillis: 1500, maxPayloadBytes: 2048))
        XCTAssertEqual(config.slowRequestMillis, 0)
    }

    func testBadValuesNameTheirVariable() {
        let cases: [(String, String)] = [
            ("IBRAT_EIO_PING_INTERVAL_MS", "25s"), ("IBRAT_EIO_PING_INTERVAL_MS", "0"),
            ("IBRAT_EIO_PING_TIMEOUT_MS", "-1"), ("IBRAT_EIO_PING_TIMEOUT_MS", "3600001"),
            ("IBRAT_EIO_CONNECT_TIMEOUT_MS", "soon"), ("IBRAT_EIO_MAX_PAYLOAD", "1mb"),
            ("IBRAT_EIO_MAX_PAYLOAD", "10"), ("IBRAT_SLOW_REQUEST_MS", "fast"),
        ]
        for (variable, value) in cases {
            XCTAssertThrowsError(try Config.load(environment: [variable: value]), variable) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.hasPrefix(variable + ": must be an integer from"), text)
                XCTAssertTrue(text.contains("\"\(value)\""), text)
            }
        }
    }
}
