import XCTest
final class DialerTestsPlaceholder: XCTestCase { func testBuilds() {} }
