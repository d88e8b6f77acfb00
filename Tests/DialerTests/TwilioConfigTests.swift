import Foundation
import TestSupport
import XCTest
@testable import Shared

/// `TwilioSettings` as `Config.load` reads it: off by default, all four settings or a start-up
/// error naming the missing one, the earlier version's variable names, the token from a file or
/// a systemd credential, the bounds of CPS and ring timeout, and a token never shown in errors.
final class TwilioConfigTests: XCTestCase {
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let full = ["IBRAT_TWILIO_ACCOUNT_SID": sid, "IBRAT_TWILIO_AUTH_TOKEN": "secret-token-0123456789",
                       "IBRAT_TWILIO_FROM": "+15005550006", "IBRAT_PUBLIC_URL": "https://calls.example.com/"]

    private func error(_ env: [String: String]) -> ConfigError? {
        do {
            _ = try Config.load(environment: env)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    private func tempFile(_ name: String, _ text: String) throws -> (dir: String, path: String) {
        let temp = try TemporaryDirectory(prefix: "ibrat-twilio")
        addTeardownBlock { temp.remove() }
        return (temp.path, try temp.write(name, text))
    }

    func testOffWithoutCredentials() throws {
        XCTAssertNil(try Config.load(environment: [:]).twilio)
        // The public URL alone does not turn Twilio on (it may be set for other reasons).
        XCTAssertNil(try Config.load(environment: ["IBRAT_PUBLIC_URL": "https://x.example.com"]).twilio)
    }

    func testFullSettingsAndDefaults() throws {
        let twilio = try XCTUnwrap(try Config.load(environment: Self.full).twilio)
        XCTAssertEqual(twilio.accountSid, Self.sid)
        XCTAssertEqual(twilio.authToken, "secret-token-0123456789")
        XCTAssertEqual(twilio.from, "+15005550006")
        XCTAssertEqual(twilio.publicURL, "https://calls.example.com", "trailing slash removed")
        XCTAssertEqual(twilio.answerURL, "https://calls.example.com/api/calls/webhook/answer")
        XCTAssertEqual(twilio.statusCallbackURL, "https://calls.example.com/api/calls/webhook/status")
        XCTAssertEqual(twilio.apiBase, "https://api.twilio.com")
        XCTAssertEqual(twilio.callsPerSecond, 1)
        XCTAssertEqual(twilio.ringTimeoutSeconds, 30)
        XCTAssertFalse(String(describing: twilio).contains("secret-token"), "the token is never described")
    }

    func testEachMissingSettingIsNamed() {
        for (key, named) in [("IBRAT_TWILIO_ACCOUNT_SID", "IBRAT_TWILIO_ACCOUNT_SID"),
                             ("IBRAT_TWILIO_AUTH_TOKEN", "IBRAT_TWILIO_AUTH_TOKEN"),
                             ("IBRAT_TWILIO_FROM", "IBRAT_TWILIO_FROM"), ("IBRAT_PUBLIC_URL", "IBRAT_PUBLIC_URL")] {
            var env = Self.full
            env[key] = nil
            XCTAssertEqual(error(env)?.variable, named, "without \(key)")
        }
    }

    func testLegacyVariables() throws {
        let env = ["TWILIO_ACCOUNT_SID": Self.sid, "TWILIO_AUTH_TOKEN": "legacytoken", "TWILIO_PHONE_NUMBER": "+998901112233",
                   "BASE_URL": "https://old.example.com"]
        let twilio = try XCTUnwrap(try Config.load(environment: env).twilio)
        XCTAssertEqual(twilio.authToken, "legacytoken")
        XCTAssertEqual(twilio.from, "+998901112233")
        XCTAssertEqual(twilio.publicURL, "https://old.example.com")
        var mixed = env
        mixed["IBRAT_TWILIO_FROM"] = "+15005550006"
        XCTAssertEqual(try Config.load(environment: mixed).twilio?.from, "+15005550006", "IBRAT_ names win")
        // The earlier version's placeholder values stop the daemon with a clear message.
        var placeholder = env
        placeholder["TWILIO_ACCOUNT_SID"] = "your_twilio_account_sid"
        XCTAssertEqual(error(placeholder)?.variable, "TWILIO_ACCOUNT_SID")
        // Its default BASE_URL was http://localhost:5000, which Twilio cannot call.
        placeholder = env
        placeholder["BASE_URL"] = "http://localhost:5000"
        XCTAssertEqual(error(placeholder)?.variable, "BASE_URL")
    }

    func testBadValues() {
        let cases: [(String, String)] = [
            ("IBRAT_TWILIO_ACCOUNT_SID", "AC0123"), ("IBRAT_TWILIO_ACCOUNT_SID", "XX0123456789abcdef0123456789abcdef"),
            ("IBRAT_TWILIO_FROM", "15005550006"), ("IBRAT_TWILIO_FROM", "+1 500 555"),
            ("IBRAT_PUBLIC_URL", "http://calls.example.com"), ("IBRAT_PUBLIC_URL", "https://"),
            ("IBRAT_PUBLIC_URL", "https://x.example.com/?a=1"), ("IBRAT_PUBLIC_URL", "calls.example.com"),
            ("IBRAT_TWILIO_API_BASE", "ftp://api"), ("IBRAT_TWILIO_CPS", "0"), ("IBRAT_TWILIO_CPS", "1001"),
            ("IBRAT_TWILIO_CPS", "fast"), ("IBRAT_TWILIO_RING_TIMEOUT", "4"), ("IBRAT_TWILIO_RING_TIMEOUT", "601"),
            ("IBRAT_TWILIO_AUTH_TOKEN", "has space"),
        ]
        for (key, value) in cases {
            var env = Self.full
            env[key] = value
            XCTAssertEqual(error(env)?.variable, key, "\(key)=\(value)")
        }
        var env = Self.full
        env["IBRAT_TWILIO_AUTH_TOKEN"] = "bad token"
        XCTAssertFalse(String(describing: error(env)).contains("bad token"), "a bad token is not quoted")
    }

    func testBounds() throws {
        var env = Self.full
        env["IBRAT_TWILIO_CPS"] = "0.5"
        env["IBRAT_TWILIO_RING_TIMEOUT"] = "5"
        env["IBRAT_TWILIO_API_BASE"] = "http://127.0.0.1:8080/"
        var twilio = try XCTUnwrap(try Config.load(environment: env).twilio)
        XCTAssertEqual(twilio.callsPerSecond, 0.5)
        XCTAssertEqual(twilio.ringTimeoutSeconds, TwilioSettings.ringTimeoutRange.lowerBound)
        XCTAssertEqual(twilio.apiBase, "http://127.0.0.1:8080")
        env["IBRAT_TWILIO_RING_TIMEOUT"] = "600"
        twilio = try XCTUnwrap(try Config.load(environment: env).twilio)
        XCTAssertEqual(twilio.ringTimeoutSeconds, TwilioSettings.ringTimeoutRange.upperBound)
        // A bad tuning value is refused even when Twilio is not configured.
        XCTAssertEqual(error(["IBRAT_TWILIO_CPS": "-1"])?.variable, "IBRAT_TWILIO_CPS")
    }

    func testTokenFromFileAndCredential() throws {
        let file = try tempFile("token", "file-token-abc\n")
        var env = Self.full
        env["IBRAT_TWILIO_AUTH_TOKEN"] = nil
        env["IBRAT_TWILIO_AUTH_TOKEN_FILE"] = file.path
        XCTAssertEqual(try Config.load(environment: env).twilio?.authToken, "file-token-abc")

        env["IBRAT_TWILIO_AUTH_TOKEN"] = "direct"
        XCTAssertEqual(error(env)?.variable, "IBRAT_TWILIO_AUTH_TOKEN_FILE", "both set")

        let credential = try tempFile(TwilioSettings.credentialName, "credential-token\n")
        env["IBRAT_TWILIO_AUTH_TOKEN"] = nil
        env["IBRAT_TWILIO_AUTH_TOKEN_FILE"] = nil
        env["CREDENTIALS_DIRECTORY"] = credential.dir
        XCTAssertEqual(try Config.load(environment: env).twilio?.authToken, "credential-token")

        env["CREDENTIALS_DIRECTORY"] = nil
        env["IBRAT_TWILIO_AUTH_TOKEN_FILE"] = file.dir + "/missing"
        XCTAssertEqual(error(env)?.variable, "IBRAT_TWILIO_AUTH_TOKEN_FILE")
    }

    func testCredentialAloneIsPartial() throws {
        let credential = try tempFile(TwilioSettings.credentialName, "credential-token")
        XCTAssertEqual(error(["CREDENTIALS_DIRECTORY": credential.dir])?.variable, "IBRAT_TWILIO_ACCOUNT_SID")
    }
}
