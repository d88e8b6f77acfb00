import Shared

/// The simulation provider (DESIGN §5): each call is a `CallSimulator` plan executed by one
/// re-armed EventLoop timer — created on the next loop turn, ringing after the setup delay, then
/// the outcome, then (answered calls) completed after the talk time. No threads: thousands of
/// concurrent calls cost one timer each. `hangup` re-arms the call's timer to deliver `.canceled`
/// (before answer) or `.completed` with the talk time so far (after answer) on the next turn.
/// A call's timer and callback are released as soon as its final event is delivered.
/// Everything runs on the loop's thread.
public final class SimulatedProvider: CallProvider {
    public let name = "simulation"
    public let simulator: CallSimulator
    private let loop: EventLoop
    private var random: SeededRandom
    private var calls: [String: SimulatedCall] = [:]
    /// Abandoned-call messages played, by call id (issue 14; bounded by `maxPlayedMessages`).
    public private(set) var playedMessages: [String: String] = [:] {
        didSet { if playedMessages.count > Self.maxPlayedMessages { playedMessages.removeAll() } }
    }
    public static let maxPlayedMessages = 10_000

    /// Codes of requests refused before a call exists (reported as `.failed`, without `.created`).
    public static let duplicateCallCode = "duplicate_call"
    public static let invalidRequestCode = "invalid_request"

    public init(loop: EventLoop, profile: SimulationProfile, seed: UInt64) {
        self.loop = loop
        self.simulator = CallSimulator(profile: profile)
        self.random = SeededRandom(seed: seed)
    }

    public var activeCount: Int { calls.count }

    /// The plan an active call follows (for status pages and tests); nil once it ended.
    public func plan(forCallId callId: String) -> SimulatedCallPlan? { calls[callId]?.plan }

    /// The live state of a call (tests check that timers and callbacks are released).
    func activeCall(_ callId: String) -> SimulatedCall? { calls[callId] }

    public func place(_ request: CallRequest, events: @escaping (CallProviderEvent) -> Void) {
        if calls[request.callId] != nil {
            return refuse(events, code: Self.duplicateCallCode, message: "Call \(request.callId) is already active")
        }
        if request.callId.isEmpty || request.to.isEmpty || request.from.isEmpty {
            return refuse(events, code: Self.invalidRequestCode, message: "Call id and both phone numbers are required")
        }
        let drawn = simulator.plan(using: &random)
        // The seed reproduces the timeline; the sid must also be unique across restarts with the
        // same seed (calls.twilio_call_sid is UNIQUE), so it is bound to the call id.
        let plan = drawn.withSid(CallSimulator.sid(forCallId: request.callId, drawn: drawn.sid))
        let call = SimulatedCall(callId: request.callId, plan: plan, events: events)
        call.waitsForOperator = request.waitsForOperator
        call.detectsMachines = request.detectsMachines
        calls[request.callId] = call
        call.timer = loop.schedule(after: 0) { [weak self, weak call] in
            guard let self, let call else { return }
            self.step(call)
        }
    }

    public func hangup(callId: String) {
        guard let call = calls[callId] else { return }
        let final: CallProviderEvent
        switch call.phase {
        case .hangingUp:
            return
        case .waiting:
            final = .completed(durationSeconds: 0)
        case .detecting:
            final = .canceled
        case .talking:
            let elapsed = Double(loop.nowMicros &- call.answeredAtMicros) / 1_000_000
            let talked = Int(elapsed / simulator.profile.timeScale)
            final = .completed(durationSeconds: min(max(0, talked), call.plan.talkSeconds))
        case .placing, .dialing, .ringing:
            final = .canceled
        }
        call.phase = .hangingUp(final)
        call.timer?.arm(after: 0)
    }

    /// Runs the call's next step: arm the following one first, then report, so that a callback
    /// calling `hangup` overrides the step just armed.
    private func step(_ call: SimulatedCall) {
        let plan = call.plan
        switch call.phase {
        case .placing:
            call.phase = .dialing
            call.timer?.arm(after: plan.ringAfter)
            call.deliverCreated()
        case .dialing:
            call.phase = .ringing
            call.timer?.arm(after: plan.outcomeAfter)
            call.events?(.ringing)
        case .ringing:
            switch plan.outcome {
            case .answered:
                answer(call)
            case .machine where call.detectsMachines:
                call.phase = .detecting
                call.timer?.arm(after: SimulationLimits.machineDetectionSeconds * simulator.profile.timeScale)
            case .machine:
                answer(call)
            case .busy:
                finish(call, .busy)
            case .noAnswer:
                finish(call, .noAnswer)
            case .failed:
                finish(call, .failed(code: CallSimulator.failureCode, message: CallSimulator.failureMessage))
            }
        case .talking:
            finish(call, .completed(durationSeconds: plan.talkSeconds))
        case .detecting:
            finish(call, .machine)
        case .waiting:
            break
        case .hangingUp(let final):
            call.deliverCreated()
            finish(call, final)
        }
    }

    /// A person (or an undetected machine) answered: the talk starts now, or when an operator is
    /// connected to a call placed without one (issue 14).
    private func answer(_ call: SimulatedCall) {
        if call.waitsForOperator {
            call.phase = .waiting
            call.timer?.cancel()
        } else {
            startTalk(call)
        }
        call.events?(.answered)
    }

    private func startTalk(_ call: SimulatedCall) {
        call.phase = .talking
        call.answeredAtMicros = loop.nowMicros
        call.timer?.arm(after: call.plan.talkAfter)
    }

    public func connect(callId: String) {
        guard let call = calls[callId], case .waiting = call.phase else { return }
        startTalk(call)
    }

    /// The message is "played" (recorded in `playedMessages` and the call's end reason) and the
    /// call ends `.abandoned` on the next turn.
    public func abandon(callId: String, message: String) {
        guard let call = calls[callId], case .waiting = call.phase else { return hangup(callId: callId) }
        playedMessages[callId] = message
        call.phase = .hangingUp(.abandoned)
        call.timer?.arm(after: 0)
    }

    /// Forgets the call, releases its timer and callback, then delivers the final event.
    private func finish(_ call: SimulatedCall, _ final: CallProviderEvent) {
        calls[call.callId] = nil
        call.timer?.cancel()
        call.timer = nil
        let events = call.events
        call.events = nil
        events?(final)
    }

    private func refuse(_ events: @escaping (CallProviderEvent) -> Void, code: String, message: String) {
        loop.schedule(after: 0) { events(.failed(code: code, message: message)) }
    }
}

/// The state of one simulated call.
final class SimulatedCall {
    enum Phase {
        /// Placed; `.created` not yet delivered.
        case placing
        /// Created; waiting for the first ring.
        case dialing
        case ringing
        case talking
        /// Issue 14: answered, held until an operator is connected or the call is abandoned.
        case waiting
        /// Issue 14: a machine answered; detection is running.
        case detecting
        /// A hangup was requested; the final event goes out on the next turn.
        case hangingUp(CallProviderEvent)
    }

    let callId: String
    let plan: SimulatedCallPlan
    var phase: Phase = .placing
    var events: ((CallProviderEvent) -> Void)?
    var timer: TimerSource?
    var answeredAtMicros: UInt64 = 0
    var waitsForOperator = false
    var detectsMachines = true
    private var createdDelivered = false

    init(callId: String, plan: SimulatedCallPlan, events: @escaping (CallProviderEvent) -> Void) {
        self.callId = callId
        self.plan = plan
        self.events = events
    }

    /// Reports `.created` once, whatever happens first (the first step or a hangup).
    func deliverCreated() {
        guard !createdDelivered else { return }
        createdDelivered = true
        events?(.created(sid: plan.sid))
    }
}
