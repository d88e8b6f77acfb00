import XCTest
@testable import queue_daemon

/// The queue command tests' shared setUp: a started `QueueDaemonHarness` per test (with
/// `harnessEnvironment` added to its configuration), dropped after the test.
class QueueDaemonTestCase: XCTestCase {
    var harness: QueueDaemonHarness!
    let admin = QueueDaemonHarness.admin

    /// Extra configuration for every test of the class.
    var harnessEnvironment: [String: String] { [:] }

    override func setUpWithError() throws {
        harness = try QueueDaemonHarness(environment: harnessEnvironment)
    }

    override func tearDown() {
        harness = nil
    }
}
