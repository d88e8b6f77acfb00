/// The predictive pacing model (issue 14, docs/PACING.md), pure: from the operator pool, the
/// calls in flight and the recent measurements it decides how many automatic calls to place now.
///
/// Progressive (the default, and the fallback): one call per free operator, each reserving its
/// operator, so nobody who answers ever waits. Predictive: calls are placed without reserving an
/// operator; an answered call takes whichever operator is free then. The model picks the largest
/// `n` such that the expected number of answered calls that would find no operator stays within
/// the allowed abandon rate of the expected answers:
///
///     X ~ Binomial(ringing + n, p)     human answers among the calls in flight and the new ones
///     Y ~ Binomial(busy, q)            busy operators who free up within the horizon
///     overflow = E[(X + waiting − free − Y)+]  ≤  allowedRate · E[X]
///
/// with `p` the measured human-answer probability, the horizon `H` the mean time from placing a
/// call to its answer plus the abandon wait, and `q = min(1, H / (mean talk + mean wrap-up))`
/// (memoryless approximation of the busy operators' remaining time). `allowedRate` is the cap
/// times `PacingModel.safetyFactor`, shrunk further as the measured abandon rate nears the cap.
/// Bounds: small teams (`staffed <= minOperators`), too few samples, a measured rate at or above
/// the cap → progressive; never more than `maxLinesPerOperator × staffed` calls in total nor more
/// than the free lines of `maxConcurrentCalls`.

enum PacingMode: String, CaseIterable, Equatable {
    case progressive, predictive
}

/// Why the model decided as it did (shown in queue status as `pacing.effectiveMode` / `reason`).
enum PacingReason: String, Equatable {
    case progressiveMode = "progressive"
    case predictive
    case smallTeam = "small_team"
    case warmingUp = "warming_up"
    case capReached = "abandon_cap_reached"
}

struct PacingInputs: Equatable {
    var mode: PacingMode
    /// Free operators: available, not on a call, not in wrap-up.
    var freeOperators: Int
    /// Operators on a call or in wrap-up (they will free up).
    var busyOperators: Int
    /// Automatic calls placed and not yet answered (dialing, ringing).
    var ringingCalls: Int
    /// Answered calls waiting for an operator.
    var waitingCalls: Int
    /// Every call using a line (all modes, all states).
    var activeCalls: Int
    var maxConcurrentCalls: Int
    var stats: PacingStatistics
    /// The 30-day abandon rate (abandoned / live answered) the next abandon would make
    /// (`AbandonRateWindow.rateWindowIfNextAbandoned`): predictive pacing runs only while even
    /// one more abandoned call would keep the window under the cap.
    var abandonRate30Days: Double?
    /// Today's abandon rate, nil before any live answer today.
    var abandonRateToday: Double?
    /// The cap, e.g. 0.03.
    var maxAbandonRate: Double
    var minOperators: Int
    var maxLinesPerOperator: Int
    /// The abandon wait (ms): an operator freeing during it still takes the call.
    var abandonWaitMillis: Int64

    /// Operators logged in and ready (free or busy); the small-team check counts these.
    var staffedOperators: Int { freeOperators + busyOperators }
}

struct PacingDecision: Equatable {
    /// Calls to place now.
    var calls: Int
    /// Whether the calls reserve an operator each (progressive) or take one at answer (predictive).
    var reservesOperators: Bool
    var reason: PacingReason
}

enum PacingModel {
    /// Fraction of the cap the model aims at, so that chance leaves room below the cap.
    static let safetyFactor = 0.5
    /// Fraction of the cap at which pacing falls back to progressive: calls already ringing when
    /// the fallback starts can still be abandoned, so it starts before the cap itself (measured:
    /// falling back at the cap let a real-binary hour end at 3.1 %).
    static let fallbackFactor = 0.85
    /// Probability mass below which binomial tails are cut off.
    static let tailEpsilon = 1e-12

    static func decide(_ input: PacingInputs) -> PacingDecision {
        let freeLines = max(0, input.maxConcurrentCalls - input.activeCalls)
        let progressive = PacingDecision(calls: min(freeLines, input.freeOperators), reservesOperators: true,
                                         reason: .progressiveMode)
        guard input.mode == .predictive else { return progressive }
        guard input.staffedOperators > input.minOperators else { return with(progressive, .smallTeam) }
        guard input.stats.isWarm, let p = input.stats.humanAnswerProbability, p > 0 else {
            return with(progressive, .warmingUp)
        }
        let allowed = allowedRate(input)
        guard allowed > 0 else { return with(progressive, .capReached) }

        let lineBound = input.maxLinesPerOperator * input.staffedOperators
        let levelRoom = max(0, lineBound - input.activeCalls)
        let maxNew = min(freeLines, levelRoom)
        let q = freeUpProbability(input)
        // The overflow grows with n, so the largest acceptable n is found by bisection.
        var low = 0, high = maxNew
        while low < high {
            let mid = (low + high + 1) / 2
            if acceptable(calls: input.ringingCalls + mid, p: p, input: input, q: q, allowed: allowed) {
                low = mid
            } else {
                high = mid - 1
            }
        }
        // No floor at the free operators: calls already ringing have a claim on them.
        return PacingDecision(calls: low, reservesOperators: false, reason: .predictive)
    }

    /// The abandon rate the model may plan for: `cap × safetyFactor`, reduced linearly to 0 as the
    /// worse of today's and the 30-day measured rate goes from that target to `cap × fallbackFactor`.
    static func allowedRate(_ input: PacingInputs) -> Double {
        let cap = max(0, input.maxAbandonRate)
        let target = cap * safetyFactor
        let fallback = cap * fallbackFactor
        let measured = max(input.abandonRate30Days ?? 0, input.abandonRateToday ?? 0)
        if measured >= fallback { return 0 }
        if measured <= target { return target }
        return target * (fallback - measured) / (fallback - target)
    }

    /// The chance that a busy operator frees up before a call placed now is answered (or while
    /// it waits the abandon wait).
    static func freeUpProbability(_ input: PacingInputs) -> Double {
        let horizon = input.stats.meanAnswerDelayMillis + Double(input.abandonWaitMillis)
        let cycle = input.stats.meanTalkMillis + input.stats.meanWrapUpMillis
        guard cycle > 0 else { return 1 }
        return min(1, max(0, horizon / cycle))
    }

    /// True when `calls` ringing calls keep the expected overflow within `allowed` of the answers.
    static func acceptable(calls: Int, p: Double, input: PacingInputs, q: Double, allowed: Double) -> Bool {
        let answers = Binomial(trials: calls, probability: p)
        let frees = Binomial(trials: input.busyOperators, probability: q)
        let capacity = input.freeOperators - input.waitingCalls
        var overflow = 0.0
        for (x, px) in answers.support(epsilon: tailEpsilon) {
            for (y, py) in frees.support(epsilon: tailEpsilon) {
                let excess = x - capacity - y
                if excess <= 0 { break }
                overflow += px * py * Double(excess)
            }
        }
        // Calls already waiting beyond the free operators overflow whatever happens.
        return overflow <= allowed * (Double(calls) * p + Double(input.waitingCalls)) + 1e-12
    }

    private static func with(_ decision: PacingDecision, _ reason: PacingReason) -> PacingDecision {
        PacingDecision(calls: decision.calls, reservesOperators: true, reason: reason)
    }
}
