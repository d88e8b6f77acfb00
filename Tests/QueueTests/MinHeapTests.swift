/// `MinHeap`: push/pop order, bulk build, duplicates and the empty heap.

import XCTest
import Shared
@testable import queue_daemon

final class MinHeapTests: XCTestCase {
    func testPopsInAscendingOrder() {
        var rng = SeededRandom(seed: 7)
        var heap = MinHeap<Int>()
        var values: [Int] = []
        for _ in 0..<500 {
            let v = Int(rng.next() % 100)
            values.append(v)
            heap.push(v)
        }
        XCTAssertEqual(heap.count, 500)
        var out: [Int] = []
        while let v = heap.pop() { out.append(v) }
        XCTAssertEqual(out, values.sorted())
        XCTAssertTrue(heap.isEmpty)
        XCTAssertNil(heap.pop())
        XCTAssertNil(heap.top)
    }

    func testBulkBuildAndInterleaving() {
        var heap = MinHeap([9, 3, 7, 1, 8, 2])
        XCTAssertEqual(heap.top, 1)
        XCTAssertEqual(heap.pop(), 1)
        heap.push(0)
        heap.push(5)
        var out: [Int] = []
        while let v = heap.pop() { out.append(v) }
        XCTAssertEqual(out, [0, 2, 3, 5, 7, 8, 9])
    }
}
