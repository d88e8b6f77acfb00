/// A plain array-backed binary min-heap used by the scheduler and claim tracker: O(log n) push
/// and pop, O(1) peek, O(n) bulk build. No removal of arbitrary elements: callers use lazy
/// deletion (stale nodes skipped at the top) and rebuild when stale nodes pile up.

struct MinHeap<Element: Comparable> {
    private(set) var elements: [Element] = []

    init() {}

    /// Builds a heap from any order in O(n).
    init(_ unordered: [Element]) {
        elements = unordered
        var index = elements.count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }
    var top: Element? { elements.first }

    mutating func push(_ element: Element) {
        elements.append(element)
        siftUp(from: elements.count - 1)
    }

    @discardableResult
    mutating func pop() -> Element? {
        guard let last = elements.popLast() else { return nil }
        guard !elements.isEmpty else { return last }
        let first = elements[0]
        elements[0] = last
        siftDown(from: 0)
        return first
    }

    mutating func removeAll() {
        elements.removeAll()
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        let element = elements[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard element < elements[parent] else { break }
            elements[child] = elements[parent]
            child = parent
        }
        elements[child] = element
    }

    private mutating func siftDown(from start: Int) {
        let count = elements.count
        var parent = start
        let element = elements[parent]
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            let right = left + 1
            let child = right < count && elements[right] < elements[left] ? right : left
            guard elements[child] < element else { break }
            elements[parent] = elements[child]
            parent = child
        }
        elements[parent] = element
    }
}
