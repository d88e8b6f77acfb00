import Glibc
import TestSupport
import XCTest
@testable import Shared

final class ConfigTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var tempDir: String { temp.path }

    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "ibrat-config") }

    override func tearDown() { temp = nil }

    private func write(_ name: String, _ text: String) -> String {
        let path = tempDir + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    private func assertError(_ environment: [String: String], startsWith prefix: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Config.load(environment: environment), file: file, line: line) { error in
            XCTAssertTrue(error is ConfigError, "\(error)", file: file, line: line)
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix(prefix), "\(text) should start with \(prefix)", file: file, line: line)
        }
    }

    func testDefaults() throws {
        let config = try Config.load(environment: [:])
        XCTAssertEqual(config.stateDir, "./.ibrat")
        XCTAssertEqual(config.runtimeDir, "./.ibrat/run")
        XCTAssertEqual(config.dbPath, "./.ibrat/ibrat.db")
        XCTAssertEqual(config.queueSocketPath, "./.ibrat/run/queue.sock")
        XCTAssertEqual(config.dialerSocketPath, "./.ibrat/run/dialer.sock")
        XCTAssertNil(config.credentialsDir)
        XCTAssertEqual(config.httpHost, "127.0.0.1")
        XCTAssertEqual(config.httpPort, 5000)
        XCTAssertNil(config.jwtSecret)
        XCTAssertNil(config.jwtSecretFile)
        XCTAssertEqual(config.jwtTTLSeconds, 86_400)
        XCTAssertNil(config.adminEmail)
        XCTAssertNil(config.adminPassword)
        XCTAssertEqual(config.rateLimit?.limit, 100)
        XCTAssertEqual(config.rateLimit?.windowSeconds, 900)
        XCTAssertEqual(config.corsOrigins, ["*"])
        XCTAssertEqual(config.maxConcurrentCalls, 5)
        XCTAssertEqual(config.maxAttempts, 3)
        XCTAssertEqual(config.backoffBusySeconds, 900)
        XCTAssertEqual(config.backoffNoAnswerSeconds, 1800)
        XCTAssertEqual(config.backoffFailedSeconds, 300)
        XCTAssertEqual(config.claimTimeoutSeconds, 1800)
        XCTAssertEqual(config.stuckSweepSeconds, 60)
        XCTAssertNil(config.simSeed)
        XCTAssertEqual(config.simTimeScale, 1.0)
        XCTAssertEqual(config.simPAnswer, 0.6)
        XCTAssertEqual(config.simPBusy, 0.15)
        XCTAssertEqual(config.simPNoAnswer, 0.15)
        XCTAssertEqual(config.simPFailed, 0.1)
        XCTAssertEqual(config.simRingSeconds, 2...20)
        XCTAssertEqual(config.simTalkSeconds, 30...300)
        XCTAssertEqual(config.defaultCountryCode, "998")
        XCTAssertEqual(config.ipcTimeoutMillis, 1500)
        XCTAssertFalse(config.wsEchoEnabled)
        XCTAssertEqual(config.logLevel, .info)
        XCTAssertEqual(config.environmentName, "production")
    }

    func testSystemdDirectories() throws {
        let config = try Config.load(environment: [
            "STATE_DIRECTORY": "/var/lib/ibrat:/var/lib/other",
            "RUNTIME_DIRECTORY": "/run/ibrat",
            "CREDENTIALS_DIRECTORY": tempDir,
        ])
        XCTAssertEqual(config.stateDir, "/var/lib/ibrat")
        XCTAssertEqual(config.runtimeDir, "/run/ibrat")
        XCTAssertEqual(config.dbPath, "/var/lib/ibrat/ibrat.db")
        XCTAssertEqual(config.queueSocketPath, "/run/ibrat/queue.sock")
        XCTAssertEqual(config.credentialsDir, tempDir)
        XCTAssertNil(config.jwtSecretFile, "no jwt-secret credential present")

        let explicit = try Config.load(environment: ["RUNTIME_DIRECTORY": "/run/ibrat", "IBRAT_RUNTIME_DIR": "/tmp/r",
                                                     "IBRAT_DB": "/tmp/x.db"])
        XCTAssertEqual(explicit.runtimeDir, "/tmp/r")
        XCTAssertEqual(explicit.dbPath, "/tmp/x.db")
    }

    func testCredentialsDirectoryProvidesSecrets() throws {
        _ = write("jwt-secret", String(repeating: "s", count: 40))
        _ = write("admin-password", "correct horse\n")
        let config = try Config.load(environment: ["CREDENTIALS_DIRECTORY": tempDir, "IBRAT_ADMIN_EMAIL": "Admin@Example.com"])
        XCTAssertEqual(config.jwtSecretFile, tempDir + "/jwt-secret")
        XCTAssertEqual(config.adminEmail, "admin@example.com")
        XCTAssertEqual(config.adminPassword, "correct horse")
        XCTAssertEqual(config.adminPasswordFile, tempDir + "/admin-password")
    }

    func testFileIsReadFirstAndEnvironmentOverrides() throws {
        let path = write("ibrat.conf", """
            # comment line
            IBRAT_HTTP_PORT=6000

            export IBRAT_HTTP_HOST = "0.0.0.0"
            IBRAT_CORS_ORIGINS='https://a.example, https://b.example'
            IBRAT_LOG_LEVEL=debug
            IBRAT_SIM_SEED=42
            IBRAT_JWT_SECRET="quoted \\"secret\\" value that is long enough"
            """)
        let config = try Config.load(environment: ["IBRAT_CONFIG": path, "IBRAT_HTTP_PORT": "7000", "IBRAT_LOG_LEVEL": ""])
        XCTAssertEqual(config.httpPort, 7000, "environment wins over the file")
        XCTAssertEqual(config.httpHost, "0.0.0.0")
        XCTAssertEqual(config.corsOrigins, ["https://a.example", "https://b.example"])
        XCTAssertEqual(config.logLevel, .debug, "an empty environment value does not override")
        XCTAssertEqual(config.simSeed, 42)
        XCTAssertEqual(config.jwtSecret, "quoted \"secret\" value that is long enough")
    }

    func testBadConfigFileNamesLine() {
        let path = write("bad.conf", "IBRAT_HTTP_PORT=1\nthis line is wrong\n")
        assertError(["IBRAT_CONFIG": path], startsWith: "IBRAT_CONFIG: line 2 of \(path): expected KEY=value")
        let unbalanced = write("quote.conf", "IBRAT_ENV=\"dev\n")
        assertError(["IBRAT_CONFIG": unbalanced], startsWith: "IBRAT_CONFIG: line 1")
        assertError(["IBRAT_CONFIG": tempDir + "/missing.conf"], startsWith: "IBRAT_CONFIG: cannot read")
        let badValue = write("value.conf", "IBRAT_MAX_ATTEMPTS=lots\n")
        assertError(["IBRAT_CONFIG": badValue], startsWith: "IBRAT_MAX_ATTEMPTS: must be an integer")
    }

    func testBadValuesNameTheirVariable() {
        assertError(["IBRAT_HTTP_PORT": "abc"], startsWith: "IBRAT_HTTP_PORT: must be an integer from 0 to 65535 (got \"abc\")")
        assertError(["IBRAT_HTTP_PORT": "70000"], startsWith: "IBRAT_HTTP_PORT:")
        assertError(["IBRAT_HTTP_HOST": "bad host"], startsWith: "IBRAT_HTTP_HOST:")
        assertError(["IBRAT_JWT_SECRET": "short"], startsWith: "IBRAT_JWT_SECRET: must be at least 32 characters")
        assertError(["IBRAT_JWT_SECRET": String(repeating: "x", count: 32), "IBRAT_JWT_SECRET_FILE": "/x"],
                    startsWith: "IBRAT_JWT_SECRET_FILE:")
        assertError(["IBRAT_JWT_TTL": "0"], startsWith: "IBRAT_JWT_TTL:")
        assertError(["IBRAT_ADMIN_EMAIL": "nobody", "IBRAT_ADMIN_PASSWORD": "longenough"], startsWith: "IBRAT_ADMIN_EMAIL:")
        // The one email rule (`EmailAddress`): a one-letter TLD is refused at start-up, not at the first login.
        assertError(["IBRAT_ADMIN_EMAIL": "a@b.c", "IBRAT_ADMIN_PASSWORD": "longenough"], startsWith: "IBRAT_ADMIN_EMAIL:")
        assertError(["IBRAT_ADMIN_EMAIL": "a@b.co", "IBRAT_ADMIN_PASSWORD": "short"], startsWith: "IBRAT_ADMIN_PASSWORD:")
        assertError(["IBRAT_ADMIN_EMAIL": "a@b.co"], startsWith: "IBRAT_ADMIN_PASSWORD:")
        assertError(["IBRAT_ADMIN_PASSWORD": "longenough"], startsWith: "IBRAT_ADMIN_EMAIL:")
        assertError(["IBRAT_ADMIN_EMAIL": "a@b.co", "IBRAT_ADMIN_PASSWORD_FILE": tempDir + "/nope"],
                    startsWith: "IBRAT_ADMIN_PASSWORD_FILE: cannot read")
        assertError(["IBRAT_RATE_LIMIT": "100"], startsWith: "IBRAT_RATE_LIMIT:")
        assertError(["IBRAT_RATE_LIMIT": "x/900"], startsWith: "IBRAT_RATE_LIMIT:")
        assertError(["IBRAT_CORS_ORIGINS": "ftp://x"], startsWith: "IBRAT_CORS_ORIGINS:")
        assertError(["IBRAT_CORS_ORIGINS": ",,"], startsWith: "IBRAT_CORS_ORIGINS:")
        assertError(["IBRAT_MAX_CONCURRENT_CALLS": "0"], startsWith: "IBRAT_MAX_CONCURRENT_CALLS: must be an integer from 1 to 10000")
        assertError(["IBRAT_MAX_CONCURRENT_CALLS": "10001"], startsWith: "IBRAT_MAX_CONCURRENT_CALLS:")
        assertError(["IBRAT_MAX_ATTEMPTS": "-1"], startsWith: "IBRAT_MAX_ATTEMPTS:")
        assertError(["IBRAT_BACKOFF_BUSY": "1.5"], startsWith: "IBRAT_BACKOFF_BUSY:")
        assertError(["IBRAT_BACKOFF_NO_ANSWER": "x"], startsWith: "IBRAT_BACKOFF_NO_ANSWER:")
        assertError(["IBRAT_BACKOFF_FAILED": "-5"], startsWith: "IBRAT_BACKOFF_FAILED:")
        assertError(["IBRAT_CLAIM_TIMEOUT": "0"], startsWith: "IBRAT_CLAIM_TIMEOUT:")
        assertError(["IBRAT_STUCK_SWEEP": "never"], startsWith: "IBRAT_STUCK_SWEEP:")
        assertError(["IBRAT_SIM_SEED": "-1"], startsWith: "IBRAT_SIM_SEED:")
        assertError(["IBRAT_SIM_TIME_SCALE": "0"], startsWith: "IBRAT_SIM_TIME_SCALE: must be a number greater than 0 and at most 1000")
        assertError(["IBRAT_SIM_TIME_SCALE": "1001"], startsWith: "IBRAT_SIM_TIME_SCALE:")
        assertError(["IBRAT_SIM_TIME_SCALE": "nan"], startsWith: "IBRAT_SIM_TIME_SCALE:")
        assertError(["IBRAT_SIM_P_BUSY": "1.5"], startsWith: "IBRAT_SIM_P_BUSY: must be a number from 0 to 1")
        assertError(["IBRAT_SIM_RING_SECONDS": "20-2"], startsWith: "IBRAT_SIM_RING_SECONDS:")
        assertError(["IBRAT_SIM_TALK_SECONDS": "a-b"], startsWith: "IBRAT_SIM_TALK_SECONDS:")
        assertError(["IBRAT_SIM_TALK_SECONDS": "1-2-3"], startsWith: "IBRAT_SIM_TALK_SECONDS:")
        assertError(["IBRAT_DEFAULT_COUNTRY_CODE": "1234"], startsWith: "IBRAT_DEFAULT_COUNTRY_CODE:")
        assertError(["IBRAT_DEFAULT_COUNTRY_CODE": "+0"], startsWith: "IBRAT_DEFAULT_COUNTRY_CODE:")
        assertError(["IBRAT_IPC_TIMEOUT_MS": "soon"], startsWith: "IBRAT_IPC_TIMEOUT_MS:")
        assertError(["IBRAT_WS_ECHO": "maybe"], startsWith: "IBRAT_WS_ECHO: must be one of 1, 0, true, false, yes, no")
        assertError(["IBRAT_LOG_LEVEL": "verbose"], startsWith: "IBRAT_LOG_LEVEL: must be one of debug, info, notice, warning, error")
        assertError(["IBRAT_RUNTIME_DIR": "/" + String(repeating: "r", count: 120)], startsWith: "IBRAT_RUNTIME_DIR:")
    }

    func testGoodNonDefaultValues() throws {
        let config = try Config.load(environment: [
            "IBRAT_HTTP_PORT": "0", "IBRAT_RATE_LIMIT": "0", "IBRAT_DEFAULT_COUNTRY_CODE": "+1",
            "IBRAT_WS_ECHO": "Yes", "IBRAT_SIM_TIME_SCALE": "0.01", "IBRAT_SIM_RING_SECONDS": "0.5 - 1.5",
            "IBRAT_SIM_TALK_SECONDS": "10", "IBRAT_SIM_SEED": "18446744073709551615", "IBRAT_ENV": "test",
            "IBRAT_ADMIN_EMAIL": "boss@ibrat.uz", "IBRAT_ADMIN_PASSWORD": " spaced pw ",
        ])
        XCTAssertEqual(config.httpPort, 0)
        XCTAssertNil(config.rateLimit)
        XCTAssertEqual(config.defaultCountryCode, "1")
        XCTAssertTrue(config.wsEchoEnabled)
        XCTAssertEqual(config.simTimeScale, 0.01)
        XCTAssertEqual(config.simRingSeconds, 0.5...1.5)
        XCTAssertEqual(config.simTalkSeconds, 10...10)
        XCTAssertEqual(config.simSeed, UInt64.max)
        XCTAssertEqual(config.environmentName, "test")
        XCTAssertEqual(config.adminPassword, " spaced pw ", "passwords are taken verbatim")
    }

    func testProbabilitiesMustSumToOne() throws {
        assertError(["IBRAT_SIM_P_ANSWER": "0.7"], startsWith: "IBRAT_SIM_P_*: ")
        XCTAssertThrowsError(try Config.load(environment: ["IBRAT_SIM_P_ANSWER": "0.7"])) { error in
            XCTAssertTrue(String(describing: error).contains("add up to 1.1"), "\(error)")
        }
        let config = try Config.load(environment: ["IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0",
                                                   "IBRAT_SIM_P_NO_ANSWER": "0", "IBRAT_SIM_P_FAILED": "0.0005"])
        XCTAssertEqual(config.simPAnswer, 1)
        assertError(["IBRAT_SIM_P_ANSWER": "1", "IBRAT_SIM_P_BUSY": "0", "IBRAT_SIM_P_NO_ANSWER": "0",
                     "IBRAT_SIM_P_FAILED": "0.002"], startsWith: "IBRAT_SIM_P_*: ")
    }

    func testEnsureDirectoriesCreatesWithModes() throws {
        let state = tempDir + "/state/nested"
        let config = try Config.load(environment: ["STATE_DIRECTORY": state])
        try config.ensureDirectories()
        var info = stat()
        XCTAssertEqual(stat(state, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o750)
        XCTAssertEqual(stat(state + "/run", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o755)
        try config.ensureDirectories()  // idempotent

        let blocked = write("plainfile", "x")
        let bad = try Config.load(environment: ["STATE_DIRECTORY": blocked])
        XCTAssertThrowsError(try bad.ensureDirectories()) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("STATE_DIRECTORY: \(blocked) exists and is not a directory"), "\(error)")
        }
    }
}
