/// `DaemonLauncher`, the skeleton of the three daemons' processes: a bad configuration value
/// exits 78 before anything starts, a start-up failure (thrown, or reported later through `fail`)
/// exits with the code the daemon gives it, and a clean stop exits with the loop's code.

import XCTest
@testable import Shared

final class DaemonLauncherTests: XCTestCase {
    private struct Refused: Error { let code: Int32 }

    private let launcher = DaemonLauncher(identifier: "test-daemon") { error in
        ("could not start: \(error)", (error as? Refused)?.code ?? DaemonExit.startupFailure)
    }

    func testBadConfigurationExits78WithoutStarting() {
        var started = false
        let code = launcher.run(environment: ["IBRAT_SIM_P_ANSWER": "0.7"]) { _, _, _, _ in started = true }
        XCTAssertEqual(code, DaemonExit.configError)
        XCTAssertEqual(code, 78, "EX_CONFIG: systemd must not restart a configuration error")
        XCTAssertFalse(started)
    }

    func testAThrownStartFailureGetsTheDaemonsCode() {
        XCTAssertEqual(launcher.run(environment: [:]) { _, _, _, _ in throw Refused(code: 5) }, 5)
        XCTAssertEqual(launcher.run(environment: [:]) { _, _, _, _ in throw CancellationError() },
                       DaemonExit.startupFailure)
    }

    func testAFailureReportedLaterEndsTheLoopWithItsCode() {
        let code = launcher.run(environment: [:]) { _, loop, _, fail in
            loop.schedule(after: 0) { fail(Refused(code: 7)) }
        }
        XCTAssertEqual(code, 7)
    }

    func testACleanStopReturnsTheLoopsCode() {
        var sawConfig = false
        let code = launcher.run(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "3"]) { config, loop, logger, _ in
            sawConfig = config.maxConcurrentCalls == 3
            logger.debug("started")
            loop.schedule(after: 0) { loop.exit(code: 0) }
        }
        XCTAssertEqual(code, 0)
        XCTAssertTrue(sawConfig)
    }
}
