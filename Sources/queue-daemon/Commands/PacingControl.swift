/// `set_pacing` of `queue.control` (issue 14): `{action:"set_pacing", mode?, maxAbandonRate?}`
/// (also accepted inside `value`: `{value:{mode, maxAbandonRate}}`). `mode` is `progressive` or
/// `predictive`; `maxAbandonRate` a fraction 0...0.5 (0.03 = 3 %) or a percentage string like
/// "3%". Either may be left out (kept as is), not both. Reply `{message:"Pacing updated",
/// pacingMode, maxAbandonRate}`.

import Foundation
import Shared

enum PacingControl {
    static func parse(_ body: CommandBody, current: QueueSettings) throws -> (PacingMode, Double) {
        let source = body.value("value")?.object.map(CommandBody.init) ?? body
        let modeValue = source.value("mode") ?? body.value("mode")
        let rateValue = source.value("maxAbandonRate") ?? body.value("maxAbandonRate")
        guard modeValue != nil || rateValue != nil else {
            throw QueueErrors.validation("\"mode\" (progressive or predictive) or \"maxAbandonRate\" is required")
        }
        var mode = current.pacingMode
        if let modeValue {
            guard let text = modeValue.string, let parsed = PacingMode(rawValue: text) else {
                throw QueueErrors.validation("\"mode\" must be progressive or predictive")
            }
            mode = parsed
        }
        var rate = current.maxAbandonRate
        if let rateValue {
            guard let parsed = parseRate(rateValue), PacingSettingsRules.maxAbandonRateRange.contains(parsed) else {
                throw QueueErrors.validation("\"maxAbandonRate\" must be a fraction from 0 to 0.5 (0.03 = 3%)")
            }
            rate = parsed
        }
        return (mode, rate)
    }

    static func parseRate(_ value: JSON) -> Double? {
        if let number = value.double, number.isFinite { return number }
        guard let text = value.string?.trimmingCharacters(in: .whitespaces), text.hasSuffix("%"),
              let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), percent.isFinite else { return nil }
        return percent / 100
    }

    static func reply(_ settings: QueueSettings) -> JSONObject {
        ["message": "Pacing updated", "pacingMode": .string(settings.pacingMode.rawValue),
         "maxAbandonRate": .double(settings.maxAbandonRate)]
    }
}
