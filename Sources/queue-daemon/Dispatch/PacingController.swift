/// The dispatcher's pacing state (issue 14, docs/PACING.md): the measurements (`PacingStatistics`),
/// the abandon-rate window (rebuilt from `calls` at start-up), the timings of automatic calls in
/// flight, the answered predictive calls waiting for an operator (oldest answer first) and the
/// wrap-up timer. `decision(now:)` feeds `PacingModel`; the glue in `Dispatcher+Pacing` performs
/// the results. Loop thread only.

import Shared

struct CallTiming: Equatable {
    let placedAt: Int64
    /// An operator was reserved at dispatch (progressive); predictive calls take one at the answer.
    let reserved: Bool
    var answeredAt: Int64?
    var connectedAt: Int64?
}

struct WaitingCall: Equatable {
    let callId: CallID
    let leadId: LeadID
    let answeredAt: Int64
}

final class PacingController {
    let minOperators: Int
    let maxLinesPerOperator: Int
    /// Real milliseconds (simulation time scale applied).
    let abandonWaitMillis: Int64
    let wrapUpMillis: Int64

    var stats: PacingStatistics
    var abandons = AbandonRateWindow()
    private(set) var timings: [CallID: CallTiming] = [:]
    private(set) var waiting: [WaitingCall] = []
    private(set) var lastDecision = PacingDecision(calls: 0, reservesOperators: true, reason: .progressiveMode)
    var wrapUpTimer: TimerSource?
    /// Waiting calls with a `dialer.connect_call` in flight.
    var connecting: Set<CallID> = []
    /// Operator activities as last written to `operator_states`.
    var writtenStates: [OperatorID: OperatorActivity] = [:]

    init(config: Config) {
        let scale = config.twilio == nil ? config.simTimeScale : 1
        stats = PacingStatistics(minSamples: config.pacing.minSamples)
        minOperators = config.pacing.minOperators
        maxLinesPerOperator = config.pacing.maxLinesPerOperator
        abandonWaitMillis = Int64((Double(config.pacing.abandonWaitMillis) * scale).rounded())
        wrapUpMillis = Int64((Double(config.pacing.wrapUpSeconds) * 1000 * scale).rounded())
    }

    /// Automatic calls placed and not ended (ringing, waiting for an operator or connected).
    var callsInFlight: Int { timings.count }

    var waitingCount: Int { waiting.count }

    /// Effective mode of the last decision.
    var effectiveMode: PacingMode { lastDecision.reservesOperators ? .progressive : .predictive }

    /// Unreserved automatic calls not answered yet.
    var ringingUnreserved: Int { timings.values.reduce(0) { $0 + ($1.reserved || $1.answeredAt != nil ? 0 : 1) } }

    func decide(settings: QueueSettings, operators: OperatorPool, activeCalls: Int, now: Int64) -> PacingDecision {
        let busy = operators.count(.onCall) + operators.count(.wrapUp)
        let input = PacingInputs(
            mode: settings.pacingMode, freeOperators: operators.freeCount, busyOperators: busy,
            ringingCalls: ringingUnreserved, waitingCalls: waiting.count, activeCalls: activeCalls,
            maxConcurrentCalls: settings.maxConcurrentCalls, stats: stats,
            abandonRate30Days: abandons.rateWindowIfNextAbandoned(now: now), abandonRateToday: abandons.rateToday(now: now),
            maxAbandonRate: settings.maxAbandonRate, minOperators: minOperators,
            maxLinesPerOperator: maxLinesPerOperator, abandonWaitMillis: abandonWaitMillis)
        lastDecision = PacingModel.decide(input)
        return lastDecision
    }

    // MARK: Call life

    func placed(callId: CallID, reserved: Bool, at now: Int64) {
        timings[callId] = CallTiming(placedAt: now, reserved: reserved)
    }

    /// A person answered an automatic call. Returns true when it needs an operator now (predictive).
    func humanAnswered(callId: CallID, leadId: LeadID, at now: Int64) -> Bool {
        abandons.recordAnswered(at: now, now: now)
        guard var timing = timings[callId], timing.answeredAt == nil else { return false }
        timing.answeredAt = now
        timings[callId] = timing
        stats.recordOutcome(humanAnsweredAfterMillis: now - timing.placedAt)
        if timing.reserved {
            timings[callId]?.connectedAt = now
            return false
        }
        waiting.append(WaitingCall(callId: callId, leadId: leadId, answeredAt: now))
        return true
    }

    func connected(callId: CallID, at now: Int64) {
        waiting.removeAll { $0.callId == callId }
        timings[callId]?.connectedAt = now
    }

    /// The oldest waiting call not yet being connected.
    func nextWaiting(excluding busy: Set<CallID>) -> WaitingCall? {
        waiting.first { !busy.contains($0.callId) }
    }

    /// A call ended with `status`; returns the wrap-up (ms) its operator owes (0 when no conversation).
    func ended(callId: CallID, status: CallStatus, answeredAt: Int64?, at now: Int64) -> Int64 {
        waiting.removeAll { $0.callId == callId }
        let timing = timings.removeValue(forKey: callId)
        if status == .abandoned {
            abandons.recordAbandoned(answeredAt: timing?.answeredAt ?? answeredAt ?? now, now: now)
        }
        if let timing, timing.answeredAt == nil, status != .canceled {
            stats.recordOutcome(humanAnsweredAfterMillis: nil)
        }
        if status == .completed, let connected = timing?.connectedAt {
            stats.recordTalk(millis: now - connected)
        }
        return status == .completed ? wrapUpMillis : 0
    }

    /// The figures shown in queue status and system status.
    func statusJSON(settings: QueueSettings, now: Int64) -> JSON {
        let today = abandons.today(now: now), window = abandons.window(now: now)
        func rate(_ counts: AbandonRateWindow.DayCounts) -> JSON {
            AbandonRateWindow.rate(counts).map { .double(($0 * 1e6).rounded() / 1e6) } ?? .null
        }
        let effective = effectiveMode
        return .object(JSONObject([
            ("mode", .string(settings.pacingMode.rawValue)), ("effectiveMode", .string(effective.rawValue)),
            ("reason", .string(lastDecision.reason.rawValue)), ("maxAbandonRate", .double(settings.maxAbandonRate)),
            ("abandonRateToday", rate(today)), ("abandonRate30Days", rate(window)),
            ("answeredToday", .int(Int64(today.answered))), ("abandonedToday", .int(Int64(today.abandoned))),
            ("answered30Days", .int(Int64(window.answered))), ("abandoned30Days", .int(Int64(window.abandoned))),
            ("answerProbability", stats.humanAnswerProbability.map { .double(($0 * 1e4).rounded() / 1e4) } ?? .null),
            ("samples", .int(Int64(stats.sampleCount))), ("waitingCalls", .int(Int64(waiting.count))),
            ("minOperators", .int(Int64(minOperators))), ("maxLinesPerOperator", .int(Int64(maxLinesPerOperator))),
            ("abandonWaitMs", .int(abandonWaitMillis)), ("wrapUpMs", .int(wrapUpMillis)),
        ]))
    }
}
