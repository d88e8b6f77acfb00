import Dispatch
import Synchronization
import XCTest
@testable import Shared

final class ObjectIDTests: XCTestCase {
    func testShapeAndTimestamp() {
        let id = ObjectID.generate(nowMillis: 1_705_314_600_123)
        XCTAssertEqual(id.utf8.count, ObjectID.length)
        XCTAssertTrue(ObjectID.isValid(id))
        XCTAssertTrue(id.hasPrefix("65a50928"), id) // 1705314600 = 0x65A508E8
        XCTAssertEqual(ObjectID.seconds(of: id), 1_705_314_600)
    }

    func testProcessBytesFixedAndCounterIncrements() {
        let a = ObjectID.generate(nowMillis: 1_000)
        let b = ObjectID.generate(nowMillis: 1_000)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a.utf8.dropFirst(8).prefix(10).elementsEqual(b.utf8.dropFirst(8).prefix(10)), true)
        let ca = Int(String(a.suffix(6)), radix: 16) ?? -1
        let cb = Int(String(b.suffix(6)), radix: 16) ?? -1
        XCTAssertEqual((ca + 1) & 0xFFFFFF, cb)
    }

    func testBatchesAreConsecutiveAndFollowOnFromSingleIds() {
        let now: Int64 = 1_700_000_000_000
        let before = ObjectID.generate(nowMillis: now)
        let batch = ObjectID.generate(nowMillis: now, count: 2_000)
        let after = ObjectID.generate(nowMillis: now)
        XCTAssertEqual(batch.count, 2_000)
        XCTAssertEqual(Set(batch + [before, after]).count, 2_002)
        XCTAssertTrue(batch.allSatisfy { ObjectID.isValid($0) })
        let counters = ([before] + batch + [after]).map { UInt32($0.suffix(6), radix: 16)! }
        for (a, b) in zip(counters, counters.dropFirst()) { XCTAssertEqual(b, (a + 1) & 0xFF_FFFF) }
        XCTAssertEqual(ObjectID.generate(nowMillis: now, count: 0), [])
    }

    func testTimeOrdered() {
        let earlier = ObjectID.generate(nowMillis: 1_700_000_000_000)
        let later = ObjectID.generate(nowMillis: 1_700_000_001_000)
        XCTAssertLessThan(earlier, later)
        let past2038 = ObjectID.generate(nowMillis: 2_200_000_000_000)
        XCTAssertLessThan(later, past2038)
        XCTAssertEqual(ObjectID.seconds(of: past2038), 2_200_000_000)
    }

    func testUniqueAcrossThreads() {
        let all = Mutex(Set<String>())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            var local: [String] = []
            for _ in 0..<5000 { local.append(ObjectID.generate(nowMillis: 1_700_000_000_000)) }
            all.withLock { $0.formUnion(local) }
        }
        XCTAssertEqual(all.withLock { $0.count }, 20_000)
    }

    func testIsValid() {
        XCTAssertTrue(ObjectID.isValid("507f1f77bcf86cd799439011"))
        for bad in ["", "507f1f77bcf86cd79943901", "507f1f77bcf86cd7994390111", "507F1F77BCF86CD799439011",
                    "507f1f77bcf86cd79943901g", "507f1f77bcf86cd79943901 ", "zzzzzzzzzzzzzzzzzzzzzzzz",
                    "507f1f77bcf86cd7994390é"] {
            XCTAssertFalse(ObjectID.isValid(bad), bad)
            XCTAssertNil(ObjectID.seconds(of: bad), bad)
        }
    }
}
