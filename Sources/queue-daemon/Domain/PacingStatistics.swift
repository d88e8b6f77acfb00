/// The pacing model's measurements over a recent window (issue 14): of the last
/// `windowSize` automatic calls that reached an outcome, the share a person answered (machines,
/// busy, no answer, failures are not), the mean delay from placing a call to that answer, and,
/// over the last `windowSize` conversations and wrap-ups, the mean talk and wrap-up times. All
/// times in real milliseconds (with a simulation time scale the model works in scaled time, and
/// so do the measurements). Pure value; the dispatcher feeds it from call reports.

struct PacingStatistics: Equatable {
    /// Outcomes remembered per measurement.
    static let defaultWindowSize = 300
    /// Outcomes needed before predictive pacing trusts the answer probability.
    static let defaultMinSamples = 30

    let windowSize: Int
    let minSamples: Int
    private var outcomes = RingWindow<Bool>(capacity: 1)
    private var answerDelays = RingWindow<Double>(capacity: 1)
    private var talks = RingWindow<Double>(capacity: 1)
    private var wrapUps = RingWindow<Double>(capacity: 1)

    init(windowSize: Int = defaultWindowSize, minSamples: Int = defaultMinSamples) {
        self.windowSize = max(1, windowSize)
        self.minSamples = max(1, minSamples)
        outcomes = RingWindow(capacity: self.windowSize)
        answerDelays = RingWindow(capacity: self.windowSize)
        talks = RingWindow(capacity: self.windowSize)
        wrapUps = RingWindow(capacity: self.windowSize)
    }

    /// An automatic call reached its outcome: `humanAnsweredAfterMillis` is the delay from placing
    /// it to a person answering, nil when nobody (or a machine) answered.
    mutating func recordOutcome(humanAnsweredAfterMillis delay: Int64?) {
        outcomes.append(delay != nil)
        if let delay { answerDelays.append(Double(max(0, delay))) }
    }

    mutating func recordTalk(millis: Int64) { talks.append(Double(max(0, millis))) }
    mutating func recordWrapUp(millis: Int64) { wrapUps.append(Double(max(0, millis))) }

    var sampleCount: Int { outcomes.count }
    /// Enough outcomes, and at least one answer and one conversation measured (the free-up
    /// probability needs the talk time).
    var isWarm: Bool { outcomes.count >= minSamples && answerDelays.count > 0 && talks.count > 0 }

    var humanAnswerProbability: Double? {
        outcomes.count == 0 ? nil : Double(outcomes.values.reduce(0) { $0 + ($1 ? 1 : 0) }) / Double(outcomes.count)
    }

    var meanAnswerDelayMillis: Double { answerDelays.mean ?? 0 }
    var meanTalkMillis: Double { talks.mean ?? 0 }
    var meanWrapUpMillis: Double { wrapUps.mean ?? 0 }
}

/// A fixed-capacity window keeping the newest values.
struct RingWindow<Value: Equatable>: Equatable {
    let capacity: Int
    private(set) var values: [Value] = []
    private var next = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { values.count }

    mutating func append(_ value: Value) {
        if values.count < capacity {
            values.append(value)
        } else {
            values[next] = value
            next = (next + 1) % capacity
        }
    }
}

extension RingWindow where Value == Double {
    var mean: Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
}
