import XCTest
final class QueueTestsPlaceholder: XCTestCase { func testBuilds() {} }
