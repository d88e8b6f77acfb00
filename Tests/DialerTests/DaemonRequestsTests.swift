import Foundation
import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// Command body parsing and the dialer's named limits, the simulation profile built from the
/// configuration, and start-up failures with their exit statuses.
final class DaemonRequestsTests: XCTestCase {
    func testPhoneLimits() {
        XCTAssertTrue(RequestFields.isPhone("+998901234567"))
        XCTAssertTrue(RequestFields.isPhone("103"))
        XCTAssertFalse(RequestFields.isPhone("10"))
        XCTAssertTrue(RequestFields.isPhone("+" + String(repeating: "9", count: 15)))
        XCTAssertFalse(RequestFields.isPhone("+" + String(repeating: "9", count: 16)))
        XCTAssertFalse(RequestFields.isPhone("+998 90 123"))
        XCTAssertFalse(RequestFields.isPhone("++99890"))
        XCTAssertFalse(RequestFields.isPhone("+٩٩٨٩٠١٢٣"), "ASCII digits only")
    }

    func testDaemonConstants() {
        XCTAssertEqual(DialerLimits.simulatedCallerId, "+15005550006")
        XCTAssertEqual(DialerLimits.persistRetrySeconds, 1.0)
        XCTAssertEqual(DialerLimits.shutdownGraceSeconds, 0.2)
        XCTAssertEqual(DaemonEndReason.restart.errorMessage, "Dialer restarted while the call was in progress")
        XCTAssertEqual(DialerEvent.callStatusChanged.rawValue, "event.call_status_changed")
    }

    func testUpdateCallBodies() throws {
        let base: JSONObject = ["actorId": .string(Fixture.operatorA), "actorRole": "operator",
                                "callId": .string(Fixture.callId(1))]
        var body = base
        body["status"] = "no-answer"
        body["duration"] = .double(0)
        body["unknownKey"] = "ignored"
        let command = try UpdateCallBody(body: body)
        XCTAssertEqual(command.status, .noAnswer)
        XCTAssertEqual(command.duration, 0)
        XCTAssertEqual(command.actorRole, .operator_)
        body["duration"] = .double(1.5)
        XCTAssertThrowsError(try UpdateCallBody(body: body))
        var nullNotes = base
        nullNotes["notes"] = .null
        XCTAssertThrowsError(try UpdateCallBody(body: nullNotes), "null notes are no update") {
            XCTAssertEqual(($0 as? IPCError)?.message, "Nothing to update: give status, notes or duration")
        }
    }

    func testSimulationProfileFromConfig() throws {
        let config = try Config.load(environment: [
            "IBRAT_SIM_P_ANSWER": "0.5", "IBRAT_SIM_P_BUSY": "0.2", "IBRAT_SIM_P_NO_ANSWER": "0.2",
            "IBRAT_SIM_P_FAILED": "0.0995", "IBRAT_SIM_RING_SECONDS": "4-9", "IBRAT_SIM_TALK_SECONDS": "10.5-20.5",
            "IBRAT_SIM_TIME_SCALE": "0.01",
        ])
        let profile = try SimulationProfile(config: config)
        XCTAssertEqual(profile.answeredProbability + profile.busyProbability + profile.noAnswerProbability
                       + profile.failedProbability, 1, accuracy: 1e-9, "normalised")
        XCTAssertEqual(profile.ringSeconds, 4...9)
        XCTAssertEqual(profile.talkSeconds, 10...21)
        XCTAssertEqual(profile.timeScale, 0.01)

        let tooLong = try Config.load(environment: ["IBRAT_SIM_RING_SECONDS": "5-700"])
        XCTAssertThrowsError(try SimulationProfile(config: tooLong)) {
            XCTAssertEqual(($0 as? ConfigError)?.variable, "IBRAT_SIM_*")
        }
    }

    func testBadConfigurationExits78() throws {
        XCTAssertEqual(DialerMain.run(environment: ["IBRAT_SIM_TIME_SCALE": "fast"]), 78)
        let temp = try TemporaryDirectory(prefix: "dialerd-cfg")
        let dir = temp.path
        defer { temp.remove() }
        let config = try Config.load(environment: ["STATE_DIRECTORY": dir, "IBRAT_SIM_TIME_SCALE": "500"])
        let daemon = DialerDaemon(config: config, loop: try EventLoop(),
                                  logger: Logger(identifier: "t", sink: .capture(LogCapture())), notifier: .silent)
        XCTAssertThrowsError(try daemon.start()) {
            XCTAssertEqual(($0 as? DialerStartupError)?.exitCode, 78)
            XCTAssertTrue("\($0)".contains("time scale"), "\($0)")
        }
    }

    func testAnActivatedSocketOfTheWrongKindIsRefused() throws {
        let temp = try TemporaryDirectory(prefix: "dialerd-act")
        let dir = temp.path
        defer { temp.remove() }
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(udp, 0)
        let config = try Config.load(environment: ["STATE_DIRECTORY": dir])
        let daemon = DialerDaemon(config: config, loop: try EventLoop(),
                                  logger: Logger(identifier: "t", sink: .capture(LogCapture())),
                                  notifier: .silent, activatedListeners: ["dialer": udp])
        XCTAssertThrowsError(try daemon.start()) {
            XCTAssertEqual(($0 as? DialerStartupError)?.exitCode, 78)
            XCTAssertTrue("\($0)".contains("dialer"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: config.dialerSocketPath), "no fallback socket")
    }
}
