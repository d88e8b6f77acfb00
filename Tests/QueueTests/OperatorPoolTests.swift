/// `OperatorPool`: who is free, least-recently-busy choice, reservation and release of calls,
/// updates that keep the queue's own state, and start-up restore.

import XCTest
@testable import queue_daemon

final class OperatorPoolTests: XCTestCase {
    func testFreeMeansActiveAvailableAndNotOnACall() {
        let pool = OperatorPool()
        pool.update(id: "a", isActive: true, isAvailable: true)
        pool.update(id: "b", isActive: false, isAvailable: true)
        pool.update(id: "c", isActive: true, isAvailable: false)
        pool.update(id: "d", isActive: true, isAvailable: true)
        XCTAssertTrue(pool.reserve("d", callId: "c1", at: 5))
        XCTAssertEqual(pool.freeOperators, ["a"])
        XCTAssertEqual(pool.freeCount, 1)
        XCTAssertTrue(pool.hasFreeOperator)
        XCTAssertEqual(pool.count, 4)
    }

    func testPickOrderNeverBusyThenLongestIdleThenId() {
        let pool = OperatorPool()
        pool.restore(OperatorState(id: "recent", lastBusyAt: 900))
        pool.restore(OperatorState(id: "idle-long", lastBusyAt: 100))
        pool.restore(OperatorState(id: "new-b"))
        pool.restore(OperatorState(id: "new-a"))
        pool.restore(OperatorState(id: "away", isAvailable: false))
        XCTAssertEqual(pool.freeOperators, ["new-a", "new-b", "idle-long", "recent"])
        XCTAssertEqual(pool.pickLeastRecentlyBusy(), "new-a")
        pool.reserve("new-a", callId: "c1", at: 1000)
        pool.reserve("new-b", callId: "c2", at: 1001)
        XCTAssertEqual(pool.pickLeastRecentlyBusy(), "idle-long")
        pool.release(callId: "c1", at: 1100)
        XCTAssertEqual(pool.freeOperators, ["idle-long", "recent", "new-a"])
    }

    func testNobodyFree() {
        let pool = OperatorPool()
        XCTAssertNil(pool.pickLeastRecentlyBusy())
        pool.update(id: "a", isActive: true, isAvailable: false)
        XCTAssertNil(pool.pickLeastRecentlyBusy())
        XCTAssertFalse(pool.hasFreeOperator)
    }

    func testReserveIsExclusive() {
        let pool = OperatorPool()
        pool.update(id: "a", isActive: true, isAvailable: true)
        pool.update(id: "b", isActive: true, isAvailable: true)
        XCTAssertTrue(pool.reserve("a", callId: "c1", at: 10))
        XCTAssertFalse(pool.reserve("a", callId: "c2", at: 11), "one call per operator")
        XCTAssertFalse(pool.reserve("b", callId: "c1", at: 11), "one operator per call")
        XCTAssertFalse(pool.reserve("ghost", callId: "c3", at: 11))
        XCTAssertEqual(pool.state(of: "a")?.onCall, "c1")
        XCTAssertEqual(pool.state(of: "a")?.lastBusyAt, 10)
        XCTAssertEqual(pool.operatorOnCall("c1"), "a")
        XCTAssertEqual(pool.onCallCount, 1)
    }

    func testManualCallBlocksAnUnavailableOperatorToo() {
        let pool = OperatorPool()
        pool.update(id: "a", isActive: true, isAvailable: false)
        XCTAssertTrue(pool.reserve("a", callId: "m1", at: 10))
        pool.update(id: "a", isActive: true, isAvailable: true)
        XCTAssertNil(pool.pickLeastRecentlyBusy(), "still on the manual call")
    }

    func testReleaseFreesAndIsIdempotent() {
        let pool = OperatorPool()
        pool.update(id: "a", isActive: true, isAvailable: true)
        pool.reserve("a", callId: "c1", at: 10)
        XCTAssertEqual(pool.release(callId: "c1", at: 50), "a")
        XCTAssertNil(pool.release(callId: "c1", at: 60))
        XCTAssertEqual(pool.state(of: "a")?.lastBusyAt, 50)
        XCTAssertNil(pool.state(of: "a")?.onCall)
        XCTAssertEqual(pool.pickLeastRecentlyBusy(), "a")
    }

    func testUpdateKeepsCallAndBusyTime() {
        let pool = OperatorPool()
        pool.update(id: "a", isActive: true, isAvailable: true)
        pool.reserve("a", callId: "c1", at: 10)
        pool.update(id: "a", isActive: true, isAvailable: false)
        XCTAssertEqual(pool.state(of: "a"), OperatorState(id: "a", isActive: true, isAvailable: false, onCall: "c1", lastBusyAt: 10))
    }

    func testRestoreAndRemoveKeepTheCallIndexConsistent() {
        let pool = OperatorPool()
        pool.restore(OperatorState(id: "a", onCall: "c1", lastBusyAt: 5))
        XCTAssertEqual(pool.operatorOnCall("c1"), "a")
        pool.restore(OperatorState(id: "a", onCall: "c2", lastBusyAt: 6))
        XCTAssertNil(pool.operatorOnCall("c1"))
        XCTAssertEqual(pool.operatorOnCall("c2"), "a")
        pool.restore(OperatorState(id: "b", onCall: "c2"))
        XCTAssertEqual(pool.operatorOnCall("c2"), "b")
        XCTAssertNil(pool.state(of: "a")?.onCall, "a call has one operator")
        XCTAssertEqual(pool.remove(id: "b")?.onCall, "c2")
        XCTAssertNil(pool.operatorOnCall("c2"))
        XCTAssertNil(pool.release(callId: "c2", at: 9))
        XCTAssertNil(pool.remove(id: "b"))
    }
}
