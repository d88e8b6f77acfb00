/// The inputs and figures of `PacingSimulation`, and `queue-daemon --simulate-pacing key=value …`
/// which runs one shift and prints the figures as one JSON line. Defaults: the issue 14 benchmark
/// (20 operators, 10,000 leads, one hour, answer 0.3, machine 0.1, the dialer's default ring and
/// talk ranges, 20 s wrap-up, 2 s abandon wait, cap 3 %).

import Foundation
import Glibc
import Shared

struct PacingSimulationSettings {
    var operators = 20
    var leads = 10_000
    var durationSeconds = 3600
    var mode: PacingMode = .progressive
    var pAnswer = 0.3, pMachine = 0.1, pBusy = 0.15, pNoAnswer = 0.35, pFailed = 0.1
    var setupSeconds: ClosedRange<Double> = 0.5...2
    var ringSeconds: ClosedRange<Double> = 2...20
    var quickOutcomeSeconds: ClosedRange<Double> = 0.5...3
    var talkSeconds: ClosedRange<Int> = 30...300
    var wrapUpSeconds = 20.0
    var abandonWaitSeconds = 2.0
    var machineDetectionSeconds = 3.0
    var detectsMachines = true
    var maxAbandonRate = 0.03
    var minOperators = 5
    var maxLinesPerOperator = 3
    var minSamples = 30
    var maxConcurrentCalls = 10_000
    var seed: UInt64 = 1

    /// Reads `key=value` arguments; nil (and a message on stderr) for an unknown key or bad value.
    static func parse(_ arguments: [String]) -> PacingSimulationSettings? {
        var s = PacingSimulationSettings()
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return fail("expected key=value, got \(argument)") }
            let (key, value) = (parts[0], parts[1])
            let number = Double(value)
            switch (key, number) {
            case ("operators", let n?): s.operators = Int(n)
            case ("leads", let n?): s.leads = Int(n)
            case ("seconds", let n?): s.durationSeconds = Int(n)
            case ("answer", let n?): s.pAnswer = n
            case ("machine", let n?): s.pMachine = n
            case ("busy", let n?): s.pBusy = n
            case ("noanswer", let n?): s.pNoAnswer = n
            case ("failed", let n?): s.pFailed = n
            case ("wrapup", let n?): s.wrapUpSeconds = n
            case ("abandonwait", let n?): s.abandonWaitSeconds = n
            case ("cap", let n?): s.maxAbandonRate = n
            case ("minoperators", let n?): s.minOperators = Int(n)
            case ("maxlines", let n?): s.maxLinesPerOperator = Int(n)
            case ("seed", let n?): s.seed = UInt64(n)
            case ("talkmin", let n?): s.talkSeconds = Int(n)...max(Int(n), s.talkSeconds.upperBound)
            case ("talkmax", let n?): s.talkSeconds = s.talkSeconds.lowerBound...max(s.talkSeconds.lowerBound, Int(n))
            case ("amd", _): s.detectsMachines = value != "0" && value != "false"
            case ("mode", _):
                guard let mode = PacingMode(rawValue: value) else { return fail("mode must be progressive or predictive") }
                s.mode = mode
            default: return fail("unknown or bad setting \(argument)")
            }
        }
        guard s.operators > 0, s.leads >= 0, s.durationSeconds > 0 else { return fail("operators, leads, seconds must be positive") }
        return s
    }

    private static func fail(_ message: String) -> PacingSimulationSettings? {
        FileHandle.standardError.write(Data("queue-daemon --simulate-pacing: \(message)\n".utf8))
        return nil
    }
}

struct PacingSimulationResult {
    var operators = 0
    var hours = 1.0
    var callsPlaced = 0
    var liveAnswered = 0
    var machines = 0
    var abandoned = 0
    var conversations = 0
    var talkMillis: Int64 = 0
    var timeToOperatorMillis: [Int64] = []
    var decisions: [String: Int] = [:]

    var utilisation: Double { Double(talkMillis) / (Double(operators) * hours * 3_600_000) }
    var abandonRate: Double { liveAnswered == 0 ? 0 : Double(abandoned) / Double(liveAnswered) }

    func percentile(_ q: Double) -> Int64 {
        guard !timeToOperatorMillis.isEmpty else { return 0 }
        let sorted = timeToOperatorMillis.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded(.up)))]
    }

    var json: JSON {
        let perHour = Double(operators) * hours
        return .object(JSONObject([
            ("operators", .int(Int64(operators))), ("callsPlaced", .int(Int64(callsPlaced))),
            ("liveAnswered", .int(Int64(liveAnswered))), ("machines", .int(Int64(machines))),
            ("abandoned", .int(Int64(abandoned))), ("conversations", .int(Int64(conversations))),
            ("talkUtilisation", .double((utilisation * 1e4).rounded() / 1e4)),
            ("conversationsPerOperatorHour", .double((Double(conversations) / perHour * 100).rounded() / 100)),
            ("callsPerOperatorHour", .double((Double(callsPlaced) / perHour * 100).rounded() / 100)),
            ("abandonRate", .double((abandonRate * 1e5).rounded() / 1e5)),
            ("timeToOperatorP50Ms", .int(percentile(0.5))), ("timeToOperatorP99Ms", .int(percentile(0.99))),
            ("decisions", .object(JSONObject(decisions.sorted { $0.key < $1.key }.map { ($0.key, JSON.int(Int64($0.value))) }))),
        ]))
    }

    /// `queue-daemon --simulate-pacing …`: runs one shift, prints the JSON; exit 0, or 64 on bad usage.
    static func main(_ arguments: [String]) -> Int32 {
        guard let settings = PacingSimulationSettings.parse(arguments) else { return 64 }
        print(PacingSimulation(settings: settings).run().json.text)
        return 0
    }
}
