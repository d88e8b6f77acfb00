/// The pacing settings of issue 14 (docs/PACING.md), part of `Config`:
/// - `IBRAT_PACING_MODE` (`progressive`|`predictive`, default progressive) and
///   `IBRAT_MAX_ABANDON_RATE` (0...0.5, default 0.03): first-start defaults; afterwards the values
///   set by `set_pacing` are kept in `queue_settings`.
/// - `IBRAT_PACING_MIN_OPERATORS` (default 5): with this many available operators or fewer,
///   predictive pacing behaves as progressive (0 = no protection).
/// - `IBRAT_PACING_MAX_LINES_PER_OPERATOR` (default 3): calls in progress at most this many
///   times the available operators.
/// - `IBRAT_ABANDON_WAIT_MS` (default 2000): how long an answered call waits for an operator.
/// - `IBRAT_WRAP_UP_SECONDS` (default 30, 0 = off): longest after-call work.
/// - `IBRAT_BACKOFF_MACHINE` / `IBRAT_BACKOFF_ABANDONED` seconds (default 3600 each).
/// - `IBRAT_AMD` (default true): answering-machine detection.
/// - `IBRAT_SIM_P_MACHINE` (default 0): simulated share of calls answered by a machine; with the
///   four other `IBRAT_SIM_P_*` it adds up to 1.
/// - `IBRAT_COMPANY_NAME`, `IBRAT_CALLBACK_NUMBER`: said in the abandoned-call message.
public struct PacingConfig: Sendable, Equatable {
    public var mode: String = "progressive"
    public var maxAbandonRate: Double = 0.03
    public var minOperators: Int = 5
    public var maxLinesPerOperator: Int = 3
    public var abandonWaitMillis: Int = 2000
    public var wrapUpSeconds: Int = 30
    public var backoffMachineSeconds: Int = 3600
    public var backoffAbandonedSeconds: Int = 3600
    public var machineDetection: Bool = true
    public var simPMachine: Double = 0
    public var companyName: String = "Ibrat"
    public var callbackNumber: String = ""
    /// `IBRAT_PACING_MIN_SAMPLES` (default 30): call outcomes measured before predictive pacing starts.
    public var minSamples: Int = 30

    public static let modes = ["progressive", "predictive"]
    public static let maxAbandonRateRange: ClosedRange<Double> = 0...0.5

    public init() {}

    static func parse(_ v: ConfigValues) throws -> PacingConfig {
        var c = PacingConfig()
        if let mode = v.string("IBRAT_PACING_MODE") {
            guard modes.contains(mode) else {
                throw ConfigError.invalid("IBRAT_PACING_MODE", "must be progressive or predictive", got: mode)
            }
            c.mode = mode
        }
        c.maxAbandonRate = try v.double("IBRAT_MAX_ABANDON_RATE", default: 0.03, range: maxAbandonRateRange)
        c.minOperators = try v.int("IBRAT_PACING_MIN_OPERATORS", default: 5, range: 0...10_000)
        c.maxLinesPerOperator = try v.int("IBRAT_PACING_MAX_LINES_PER_OPERATOR", default: 3, range: 1...20)
        c.abandonWaitMillis = try v.int("IBRAT_ABANDON_WAIT_MS", default: 2000, range: 0...60_000)
        c.wrapUpSeconds = try v.int("IBRAT_WRAP_UP_SECONDS", default: 30, range: 0...3600)
        c.backoffMachineSeconds = try v.int("IBRAT_BACKOFF_MACHINE", default: 3600, range: 0...(30 * 86_400))
        c.backoffAbandonedSeconds = try v.int("IBRAT_BACKOFF_ABANDONED", default: 3600, range: 0...(30 * 86_400))
        c.minSamples = try v.int("IBRAT_PACING_MIN_SAMPLES", default: 30, range: 1...10_000)
        c.machineDetection = try v.bool("IBRAT_AMD", default: true)
        c.simPMachine = try v.double("IBRAT_SIM_P_MACHINE", default: 0, range: 0...1)
        c.companyName = v.string("IBRAT_COMPANY_NAME") ?? "Ibrat"
        c.callbackNumber = v.string("IBRAT_CALLBACK_NUMBER") ?? ""
        for (name, text) in [("IBRAT_COMPANY_NAME", c.companyName), ("IBRAT_CALLBACK_NUMBER", c.callbackNumber)]
            where text.utf8.count > maxSpokenLength || text.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw ConfigError.invalid(name, "must be at most \(maxSpokenLength) bytes without control characters",
                                      got: String(text.prefix(40)))
        }
        return c
    }

    /// What an abandoned call hears (simulation: recorded; Twilio: `<Say>`).
    public var abandonMessage: String {
        let back = callbackNumber.isEmpty ? "We will call you back shortly."
            : "We will call you back, or call us at \(callbackNumber)."
        return "Hello, this is \(companyName). Sorry, all our operators are busy right now. \(back) Goodbye."
    }

    /// Longest company name / call-back number (they are spoken in a TwiML `<Say>`).
    public static let maxSpokenLength = 120
}
