/// The abandon rate (issue 14): abandoned calls over live-answered automatic calls (a person
/// answered; machines do not count), per UTC day, kept for the current day and a rolling
/// `days`-day window (30: the US FTC safe harbour measures 30 days per campaign). Pure; the
/// counts are persisted in the `calls` rows themselves (an abandoned call ends `abandoned` and has
/// an answer time), so the queue-daemon rebuilds the window from SQL at start-up
/// (`DispatchReader.abandonCounts`) and a restart keeps the 30-day figures.

struct AbandonRateWindow: Equatable {
    static let defaultDays = 30
    static let millisPerDay: Int64 = 86_400_000

    struct DayCounts: Equatable {
        var answered: Int = 0
        var abandoned: Int = 0
    }

    let days: Int
    /// Counts by UTC day number (ms since the epoch / one day).
    private(set) var byDay: [Int64: DayCounts] = [:]

    init(days: Int = defaultDays) { self.days = max(1, days) }

    static func day(of millis: Int64) -> Int64 {
        millis >= 0 ? millis / millisPerDay : (millis - millisPerDay + 1) / millisPerDay
    }

    /// Replaces the counts (start-up), dropping days outside the window.
    mutating func load(_ counts: [Int64: DayCounts], now: Int64) {
        byDay = counts
        prune(now: now)
    }

    /// A person answered an automatic call at `at`.
    mutating func recordAnswered(at: Int64, now: Int64) {
        byDay[Self.day(of: at), default: DayCounts()].answered += 1
        prune(now: now)
    }

    /// An answered call found no operator in time and was abandoned (its answer was counted).
    mutating func recordAbandoned(answeredAt: Int64, now: Int64) {
        byDay[Self.day(of: answeredAt), default: DayCounts()].abandoned += 1
        prune(now: now)
    }

    func today(now: Int64) -> DayCounts { byDay[Self.day(of: now)] ?? DayCounts() }

    func window(now: Int64) -> DayCounts {
        let first = Self.day(of: now) - Int64(days) + 1
        return byDay.reduce(into: DayCounts()) { total, entry in
            guard entry.key >= first else { return }
            total.answered += entry.value.answered
            total.abandoned += entry.value.abandoned
        }
    }

    /// abandoned / answered; nil before any answer.
    static func rate(_ counts: DayCounts) -> Double? {
        counts.answered == 0 ? nil : Double(counts.abandoned) / Double(counts.answered)
    }

    func rateToday(now: Int64) -> Double? { Self.rate(today(now: now)) }
    func rateWindow(now: Int64) -> Double? { Self.rate(window(now: now)) }

    /// The window's rate if the next live answer were abandoned: what the rate "would" be, which
    /// pacing keeps below the cap (1 before any answer).
    func rateWindowIfNextAbandoned(now: Int64) -> Double {
        let counts = window(now: now)
        return Double(counts.abandoned + 1) / Double(counts.answered + 1)
    }

    /// The first day of the window for `now` (SQL loads from its start).
    func windowStartMillis(now: Int64) -> Int64 { (Self.day(of: now) - Int64(days) + 1) * Self.millisPerDay }

    private mutating func prune(now: Int64) {
        let first = Self.day(of: now) - Int64(days) + 1
        for key in byDay.keys where key < first { byDay[key] = nil }
    }
}
