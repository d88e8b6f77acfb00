/// A binomial distribution for the pacing model (`PacingModel`): `support` lists the values whose
/// probability is above a cut-off with their probabilities, walking out from the mode with the
/// pmf ratio recurrence (no factorials, so thousands of trials cost microseconds and never
/// overflow). Pure.

import Foundation

struct Binomial: Equatable {
    let trials: Int
    let probability: Double

    init(trials: Int, probability: Double) {
        self.trials = max(0, trials)
        self.probability = min(1, max(0, probability))
    }

    var mean: Double { Double(trials) * probability }

    /// `(value, probability)` in ascending value order for every value with probability at least
    /// `epsilon` (relative to the mode's), normalised to sum to 1.
    func support(epsilon: Double) -> [(Int, Double)] {
        let n = trials, p = probability
        if n == 0 || p == 0 { return [(0, 1)] }
        if p == 1 { return [(n, 1)] }
        let mode = min(n, Int((Double(n + 1) * p).rounded(.down)))
        let ratio = p / (1 - p)
        var upper: [Double] = [1]
        var k = mode
        while k < n {
            let next = upper[upper.count - 1] * Double(n - k) / Double(k + 1) * ratio
            if next < epsilon { break }
            upper.append(next)
            k += 1
        }
        var lower: [Double] = []
        k = mode
        var current = 1.0
        while k > 0 {
            current = current * Double(k) / Double(n - k + 1) / ratio
            if current < epsilon { break }
            lower.append(current)
            k -= 1
        }
        let total = upper.reduce(0, +) + lower.reduce(0, +)
        var result: [(Int, Double)] = []
        result.reserveCapacity(upper.count + lower.count)
        for (i, weight) in lower.enumerated().reversed() { result.append((mode - i - 1, weight / total)) }
        for (i, weight) in upper.enumerated() { result.append((mode + i, weight / total)) }
        return result
    }
}
