import Shared

/// Draws the course of a simulated call (DESIGN §5), pure: from a `SimulationProfile` and a
/// random generator (a `SeededRandom` in the daemon, so a seed reproduces a run) it produces a
/// `SimulatedCallPlan` with the provider sid, the delays (already multiplied by the time scale),
/// the outcome and the talk time. `SimulatedProvider` only executes plans with timers.
public struct CallSimulator: Sendable {
    public let profile: SimulationProfile

    /// What a simulated network failure reports.
    public static let failureCode = "simulated_failure"
    public static let failureMessage = "Simulated network failure"

    public init(profile: SimulationProfile) { self.profile = profile }

    /// The next plan. Draw order (fixed, so a seed gives the same sequence): sid, setup delay,
    /// outcome, outcome delay, and for answered calls the talk time.
    public func plan<R: RandomNumberGenerator>(using random: inout R) -> SimulatedCallPlan {
        let sid = Self.makeSid(using: &random)
        let scale = profile.timeScale
        let ringAfter = Double.random(in: profile.setupSeconds, using: &random) * scale
        let outcome = drawOutcome(Double.random(in: 0..<1, using: &random))
        let outcomeRange = (outcome == .answered || outcome == .noAnswer || outcome == .machine)
            ? profile.ringSeconds : profile.quickOutcomeSeconds
        let outcomeAfter = Double.random(in: outcomeRange, using: &random) * scale
        let talk = outcome == .answered || outcome == .machine ? Int.random(in: profile.talkSeconds, using: &random) : 0
        return SimulatedCallPlan(sid: sid, ringAfter: ringAfter, outcome: outcome,
                                 outcomeAfter: outcomeAfter, talkSeconds: talk,
                                 talkAfter: Double(talk) * scale)
    }

    /// Maps a uniform draw in [0, 1) to an outcome by the cumulative probabilities.
    func drawOutcome(_ u: Double) -> SimulatedOutcome {
        var cumulative = 0.0
        for outcome in SimulatedOutcome.allCases {
            cumulative += profile.probability(of: outcome)
            if u < cumulative { return outcome }
        }
        // Rounding left u above the sum: the last outcome with a non-zero probability.
        return SimulatedOutcome.allCases.last { profile.probability(of: $0) > 0 } ?? .answered
    }

    /// `CA` + 32 hex digits of SHA-256(callId, drawn sid): deterministic for a seed and a call id,
    /// and distinct for distinct call ids even when a restarted dialer replays the same seed.
    public static func sid(forCallId callId: String, drawn: String) -> String {
        let digest = SHA256.hash(Array((callId + ":" + drawn).utf8))
        return "CA" + Hex.encode(Array(digest.prefix(16)))
    }

    /// `CA` followed by 32 lowercase hex digits, like a Twilio call sid.
    public static func makeSid<R: RandomNumberGenerator>(using random: inout R) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 34)
        bytes[0] = UInt8(ascii: "C")
        bytes[1] = UInt8(ascii: "A")
        var index = 2
        for _ in 0..<2 {
            var word = random.next()
            for _ in 0..<16 {
                bytes[index] = digits[Int(word >> 60)]
                word <<= 4
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// How a simulated call ends up.
public enum SimulatedOutcome: String, CaseIterable, Sendable {
    case answered, busy
    case noAnswer = "no-answer"
    case failed
    /// Issue 14: an answering machine picks up.
    case machine
}

/// The whole course of one simulated call. Delays are real seconds (time scale applied), each
/// measured from the previous step: created → `ringAfter` → ringing → `outcomeAfter` → outcome
/// → (answered only) `talkAfter` → completed with `talkSeconds`.
public struct SimulatedCallPlan: Equatable, Sendable {
    public let sid: String
    public let ringAfter: Double
    public let outcome: SimulatedOutcome
    public let outcomeAfter: Double
    /// Simulated talk time in whole seconds (the reported duration); 0 unless answered.
    public let talkSeconds: Int
    public let talkAfter: Double

    /// The same plan with another provider sid.
    public func withSid(_ sid: String) -> SimulatedCallPlan {
        SimulatedCallPlan(sid: sid, ringAfter: ringAfter, outcome: outcome, outcomeAfter: outcomeAfter,
                          talkSeconds: talkSeconds, talkAfter: talkAfter)
    }
}
