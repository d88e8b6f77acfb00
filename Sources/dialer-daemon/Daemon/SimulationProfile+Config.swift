import Shared

/// The simulation profile the configuration asks for (DESIGN §8: `IBRAT_SIM_P_*`,
/// `IBRAT_SIM_RING_SECONDS`, `IBRAT_SIM_TALK_SECONDS`, `IBRAT_SIM_TIME_SCALE`). `Config` already
/// checked each variable; the profile's own, stricter limits (ring at most 600 s, time scale
/// 0.0001...100) are reported as a `ConfigError` naming the variables, so the daemon stops at
/// start-up with a message saying what to fix.
extension SimulationProfile {
    init(config: Config) throws {
        // Config allows the probabilities to miss 1 by 0.001; the profile wants 1e-6: normalise.
        let sum = config.simPAnswer + config.simPBusy + config.simPNoAnswer + config.simPFailed + config.pacing.simPMachine
        let scale = sum > 0 ? 1 / sum : 1
        let talk = config.simTalkSeconds
        let talkLower = Int(talk.lowerBound.rounded(.down))
        let talkUpper = max(talkLower, Int(talk.upperBound.rounded(.up)))
        do {
            try self.init(answered: config.simPAnswer * scale, busy: config.simPBusy * scale,
                          noAnswer: config.simPNoAnswer * scale, failed: config.simPFailed * scale,
                          ringSeconds: config.simRingSeconds, talkSeconds: talkLower...talkUpper,
                          timeScale: config.simTimeScale, machine: config.pacing.simPMachine * scale)
        } catch let error as SimulationProfileError {
            throw ConfigError(variable: "IBRAT_SIM_*", message: error.message)
        }
    }
}
