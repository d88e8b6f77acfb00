import Shared
import XCTest
@testable import dialer_daemon

/// The provider choice in the real daemon over IPC: Twilio settings make `dialer.status` (and
/// STATUS=) say `twilio` and store `IBRAT_TWILIO_FROM` as the caller id; without them the
/// simulation runs and `dialer.provider_event` answers 409 `provider_not_twilio`.
final class TwilioDaemonTests: XCTestCase {
    var harness: DaemonHarness!

    override func tearDown() { harness?.tearDown() }

    func testSimulationRefusesProviderEvents() throws {
        harness = try DaemonHarness()
        try harness.start()
        let client = harness.connect(role: "gateway")
        let status = try harness.request("dialer.status", [:], on: client).get()
        XCTAssertEqual(status["provider"]?.string, "simulation")
        let result = harness.request("dialer.provider_event",
                                     ["callSid": .string(TwilioHarness.callSid(1)), "callStatus": "ringing"], on: client)
        XCTAssertEqual(harness.error(result)?.code, "provider_not_twilio")
        XCTAssertEqual(harness.error(result)?.status, 409)
    }

    func testTwilioSettingsSelectTheTwilioProvider() throws {
        harness = try DaemonHarness(settings: [
            "IBRAT_TWILIO_ACCOUNT_SID": TwilioHarness.sid, "IBRAT_TWILIO_AUTH_TOKEN": "token-123",
            "IBRAT_TWILIO_FROM": "+15005550006", "IBRAT_PUBLIC_URL": "https://calls.example.com",
            "IBRAT_TWILIO_API_BASE": "http://127.0.0.1:9",
        ])
        try harness.start()
        XCTAssertTrue(harness.notifications.first?.hasSuffix("provider=twilio") ?? false, "\(harness.notifications)")
        XCTAssertTrue(harness.daemon?.provider is TwilioProvider)
        let client = harness.connect(role: "gateway")
        XCTAssertEqual(try harness.request("dialer.status", [:], on: client).get()["provider"]?.string, "twilio")
        let unknown = harness.request("dialer.provider_event",
                                      ["callSid": .string(TwilioHarness.callSid(1)), "callStatus": "ringing"], on: client)
        XCTAssertEqual(harness.error(unknown)?.status, 404)
        XCTAssertEqual(harness.error(unknown)?.error, "Call log not found")
        let invalid = harness.request("dialer.provider_event", ["callStatus": "ringing"], on: client)
        XCTAssertEqual(harness.error(invalid)?.code, "validation_failed")
        XCTAssertEqual(harness.logs(containing: "Calls are placed through Twilio").count, 1)
        XCTAssertFalse(harness.capture.records.contains { record in
            record.message.contains("token-123") || record.fields.contains { $0.value.contains("token-123") }
        }, "the auth token is never logged")
    }
}
