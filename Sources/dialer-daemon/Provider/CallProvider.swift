import Shared

/// The telephony provider interface (DESIGN §5): the dialer places calls through it and learns
/// their progress from its events. `SimulatedProvider` implements it with EventLoop timers; a real
/// provider (Twilio) can replace it. Everything happens on the daemon's EventLoop thread: `place`,
/// `hangup` and every event callback.
public protocol CallProvider: AnyObject {
    /// "simulation", later "twilio"; shown in `dialer.status` and logs.
    var name: String { get }
    /// Calls placed and not yet ended (no final event delivered).
    var activeCount: Int { get }

    /// Starts a call. `events` receives `.created(sid)` first (never synchronously inside `place`),
    /// then progress, then exactly one final event (`completed`, `busy`, `noAnswer`, `failed`,
    /// `canceled`), after which the provider forgets the call and drops `events`.
    func place(_ request: CallRequest, events: @escaping (CallProviderEvent) -> Void)

    /// Ends the call `callId`: before answer it ends `.canceled`, after answer `.completed` with
    /// the talk time so far. The final event is delivered on a later loop turn, not inside this
    /// call. Unknown or already ended calls are ignored.
    func hangup(callId: String)

    /// Issue 14: the answered call `callId`, held for an operator, is connected to one now (the
    /// conversation starts). Unknown calls are ignored.
    func connect(callId: String)

    /// Issue 14: nobody came for the answered call: play `message` to the lead, hang up, and
    /// deliver `.abandoned` (on a later loop turn).
    func abandon(callId: String, message: String)
}

extension CallProvider {
    public func connect(callId: String) {}
    public func abandon(callId: String, message: String) { hangup(callId: callId) }
}

/// What the dialer asks a provider to do.
public struct CallRequest: Equatable, Sendable {
    /// The `calls.id` of the record (24 lowercase hex); the key of `hangup(callId:)`.
    public var callId: String
    /// The lead's number (E.164).
    public var to: String
    /// The caller id shown to the lead.
    public var from: String
    /// The operator the answered call is bridged to, if any.
    public var operatorPhone: String?
    /// Issue 14: no operator is reserved; an answered call is held until `connect` or `abandon`.
    public var waitsForOperator: Bool
    /// Issue 14: answering-machine detection is on.
    public var detectsMachines: Bool

    public init(callId: String, to: String, from: String, operatorPhone: String? = nil,
                waitsForOperator: Bool = false, detectsMachines: Bool = true) {
        self.callId = callId
        self.to = to
        self.from = from
        self.operatorPhone = operatorPhone
        self.waitsForOperator = waitsForOperator
        self.detectsMachines = detectsMachines
    }
}

/// Progress of a placed call as the provider reports it.
public enum CallProviderEvent: Equatable, Sendable {
    /// The provider accepted the call; `sid` is its id (`twilioCallSid`).
    case created(sid: String)
    case ringing
    case answered
    case completed(durationSeconds: Int)
    case busy
    case noAnswer
    case failed(code: String, message: String)
    case canceled
    /// Issue 14: abandoned after the message was played.
    case abandoned
    /// Issue 14: an answering machine (or fax) answered.
    case machine

    /// Whether this is the last event of a call.
    public var isFinal: Bool {
        switch self {
        case .completed, .busy, .noAnswer, .failed, .canceled, .abandoned, .machine: return true
        case .created, .ringing, .answered: return false
        }
    }

    /// The state machine event this report stands for; `nil` for `.created`, which records the
    /// sid but leaves the call `initiated`.
    public var callEvent: CallEvent? {
        switch self {
        case .created: return nil
        case .ringing: return .ringing
        case .answered: return .answered
        case .completed(let seconds): return .completed(durationSeconds: seconds)
        case .busy: return .busy
        case .noAnswer: return .noAnswer
        case .failed(let code, let message): return .failed(code: code, message: message)
        case .canceled: return .canceled
        case .abandoned: return .abandoned
        case .machine: return .machine
        }
    }
}
