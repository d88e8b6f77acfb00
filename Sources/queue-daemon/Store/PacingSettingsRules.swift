/// How the pacing settings of issue 14 live in `queue_settings`: key `pacing_mode`
/// (`progressive`|`predictive`) and `max_abandon_rate` (a decimal fraction, 0...0.5). Missing or
/// unreadable values are replaced by the defaults from the configuration at start-up.

import Shared

enum PacingSettingsRules {
    static let modeKey = "pacing_mode"
    static let maxAbandonRateKey = "max_abandon_rate"
    static let defaultMaxAbandonRate = 0.03
    static let maxAbandonRateRange = PacingConfig.maxAbandonRateRange

    /// Fills `settings` from `stored`; returns the (key, value) pairs to write for missing keys.
    static func read(_ stored: [String: String], into settings: inout QueueSettings,
                     defaults: QueueSettings) -> [(String, String)] {
        var missing: [(String, String)] = []
        if let text = stored[modeKey], let mode = PacingMode(rawValue: text) {
            settings.pacingMode = mode
        } else {
            missing.append((modeKey, defaults.pacingMode.rawValue))
        }
        if let text = stored[maxAbandonRateKey], let rate = Double(text), maxAbandonRateRange.contains(rate) {
            settings.maxAbandonRate = rate
        } else {
            missing.append((maxAbandonRateKey, format(defaults.maxAbandonRate)))
        }
        return missing
    }

    static func values(mode: PacingMode, maxAbandonRate: Double) -> [(String, String)] {
        [(modeKey, mode.rawValue), (maxAbandonRateKey, format(maxAbandonRate))]
    }

    static func format(_ rate: Double) -> String { String(rate) }
}
