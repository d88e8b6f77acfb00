import Shared
import XCTest
@testable import dialer_daemon

/// The provider event vocabulary: which events are final and which state machine event each maps to.
final class CallProviderEventTests: XCTestCase {
    func testFinalEvents() {
        let final: [CallProviderEvent] = [.completed(durationSeconds: 3), .busy, .noAnswer,
                                          .failed(code: "c", message: "m"), .canceled]
        let progress: [CallProviderEvent] = [.created(sid: "CA00"), .ringing, .answered]
        XCTAssertTrue(final.allSatisfy { $0.isFinal })
        XCTAssertTrue(progress.allSatisfy { !$0.isFinal })
    }

    func testMappingToCallEvents() {
        XCTAssertNil(CallProviderEvent.created(sid: "CA00").callEvent)
        XCTAssertEqual(CallProviderEvent.ringing.callEvent, .ringing)
        XCTAssertEqual(CallProviderEvent.answered.callEvent, .answered)
        XCTAssertEqual(CallProviderEvent.completed(durationSeconds: 9).callEvent, .completed(durationSeconds: 9))
        XCTAssertEqual(CallProviderEvent.busy.callEvent, .busy)
        XCTAssertEqual(CallProviderEvent.noAnswer.callEvent, .noAnswer)
        XCTAssertEqual(CallProviderEvent.failed(code: "c", message: "m").callEvent, .failed(code: "c", message: "m"))
        XCTAssertEqual(CallProviderEvent.canceled.callEvent, .canceled)
    }
}
