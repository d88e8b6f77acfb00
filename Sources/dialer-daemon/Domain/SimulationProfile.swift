/// How simulated calls behave (DESIGN §5 "Dialer simulation"): the outcome probabilities, the
/// ranges ring and talk times are drawn from (in simulated seconds), and the time scale that turns
/// simulated seconds into real ones (0.01 makes a 60 s call take 0.6 s). Validated on creation so
/// a bad configuration stops the daemon at start-up with a message instead of misbehaving later.
public struct SimulationProfile: Equatable, Sendable {
    public let answeredProbability: Double
    public let busyProbability: Double
    public let noAnswerProbability: Double
    public let failedProbability: Double
    /// Issue 14: an answering machine answers (IBRAT_SIM_P_MACHINE, default 0).
    public var machineProbability: Double = 0
    /// Ringing time before the lead answers or the call gives up as no-answer.
    public let ringSeconds: ClosedRange<Double>
    /// Talk time of an answered call (whole seconds; becomes the call's duration).
    public let talkSeconds: ClosedRange<Int>
    /// Real seconds per simulated second.
    public let timeScale: Double
    /// From placing the call to the first ring.
    public let setupSeconds: ClosedRange<Double>
    /// From the first ring to a busy signal or a network failure.
    public let quickOutcomeSeconds: ClosedRange<Double>

    public init(answered: Double, busy: Double, noAnswer: Double, failed: Double,
                ringSeconds: ClosedRange<Double> = 3...20, talkSeconds: ClosedRange<Int> = 30...300,
                timeScale: Double = 1, setupSeconds: ClosedRange<Double> = 0.5...2,
                quickOutcomeSeconds: ClosedRange<Double> = 0.5...3, machine: Double = 0) throws {
        for (name, p) in [("answered", answered), ("busy", busy), ("no-answer", noAnswer), ("failed", failed),
                          ("machine", machine)] {
            guard p.isFinite, p >= 0, p <= 1 else {
                throw SimulationProfileError("probability of \(name) must be between 0 and 1")
            }
        }
        guard abs(answered + busy + noAnswer + failed + machine - 1) <= SimulationLimits.probabilityTolerance else {
            throw SimulationProfileError("outcome probabilities must sum to 1")
        }
        guard timeScale.isFinite, timeScale >= SimulationLimits.minTimeScale,
              timeScale <= SimulationLimits.maxTimeScale else {
            throw SimulationProfileError("time scale must be between \(SimulationLimits.minTimeScale) and \(SimulationLimits.maxTimeScale)")
        }
        for (name, range) in [("ring", ringSeconds), ("setup", setupSeconds), ("quick outcome", quickOutcomeSeconds)] {
            guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound >= 0,
                  range.upperBound <= SimulationLimits.maxRingSeconds else {
                throw SimulationProfileError("\(name) seconds must lie within 0...\(Int(SimulationLimits.maxRingSeconds))")
            }
        }
        guard talkSeconds.lowerBound >= 0, talkSeconds.upperBound <= CallLimits.maxDurationSeconds else {
            throw SimulationProfileError("talk seconds must lie within 0...\(CallLimits.maxDurationSeconds)")
        }
        answeredProbability = answered
        busyProbability = busy
        noAnswerProbability = noAnswer
        failedProbability = failed
        machineProbability = machine
        self.ringSeconds = ringSeconds
        self.talkSeconds = talkSeconds
        self.timeScale = timeScale
        self.setupSeconds = setupSeconds
        self.quickOutcomeSeconds = quickOutcomeSeconds
    }

    /// A plausible outbound campaign: 60 % answered, 15 % busy, 15 % no answer, 10 % failed.
    public static let standard = SimulationProfile(checked: 0.60, 0.15, 0.15, 0.10)

    /// The same profile at another time scale.
    public func scaled(by timeScale: Double) throws -> SimulationProfile {
        try SimulationProfile(answered: answeredProbability, busy: busyProbability,
                              noAnswer: noAnswerProbability, failed: failedProbability,
                              ringSeconds: ringSeconds, talkSeconds: talkSeconds, timeScale: timeScale,
                              setupSeconds: setupSeconds, quickOutcomeSeconds: quickOutcomeSeconds,
                              machine: machineProbability)
    }

    /// The probability of `outcome`.
    public func probability(of outcome: SimulatedOutcome) -> Double {
        switch outcome {
        case .answered: return answeredProbability
        case .busy: return busyProbability
        case .noAnswer: return noAnswerProbability
        case .failed: return failedProbability
        case .machine: return machineProbability
        }
    }

    /// For constants known to be valid (defaults).
    private init(checked answered: Double, _ busy: Double, _ noAnswer: Double, _ failed: Double) {
        answeredProbability = answered
        busyProbability = busy
        noAnswerProbability = noAnswer
        failedProbability = failed
        ringSeconds = 3...20
        talkSeconds = 30...300
        timeScale = 1
        setupSeconds = 0.5...2
        quickOutcomeSeconds = 0.5...3
    }
}

/// Limits on a simulation profile.
public enum SimulationLimits {
    /// The four probabilities may miss 1 by at most this much (decimal input such as 0.1 + 0.2).
    public static let probabilityTolerance = 1e-6
    /// A time scale below this would fire thousands of timers per millisecond; above it demos crawl.
    public static let minTimeScale = 0.0001
    public static let maxTimeScale = 100.0
    /// No ring, setup or quick-outcome time beyond Twilio's maximum ring timeout (600 s).
    public static let maxRingSeconds = 600.0
    /// Issue 14: simulated seconds answering-machine detection takes after the machine answers.
    public static let machineDetectionSeconds = 3.0
}

/// A rejected simulation profile; `message` names the offending setting.
public struct SimulationProfileError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
