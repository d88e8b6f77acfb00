/// Whether an operator may record a disposition on a call, and what it does to the lead (issue
/// 12). Pure: the call's facts, the lead's calling window at the call-back time and the clock are
/// passed in. A disposition is allowed on the operator's own call (admins: any call) once it is
/// answered or has ended, and may be changed until `editMillis` after the call ended. `callback`
/// needs `callbackAt`: in the future, at most `Dispositions.maxCallbackDays` ahead, inside the
/// lead's calling window.

import Shared

/// What the queue-daemon does with the lead.
enum DispositionEffect: Equatable {
    /// The number goes on the do-not-call list (source `disposition`).
    case doNotCall
    /// The lead ends `failed` (reason `wrong_number`).
    case failLead
    /// The lead is pending again, due at this instant and reserved for the call's operator.
    case callback(at: Int64)
    /// Only recorded (sale, interested, not_interested close the lead where it is; others too).
    case record
    /// Recorded, and the call-back an earlier `callback` disposition booked on the lead is
    /// cancelled: the lead is closed where its call left it (`transferred` to the call's
    /// operator), no longer due and no longer reserved.
    case cancelCallback
}

/// The call as the rules see it (read from the dialer's `calls` table).
struct DispositionCall: Equatable {
    var operatorId: OperatorID?
    var status: CallStatus
    var endTime: Int64?
}

struct DispositionRules {
    static let defaultEditHours = 24
    static let defaultCallbackGraceSeconds = 900

    let allowed: [String]
    let editMillis: Int64

    init(allowed: [String] = Dispositions.defaults, editMillis: Int64 = Int64(DispositionRules.defaultEditHours) * 3_600_000) {
        self.allowed = allowed
        self.editMillis = editMillis
    }

    /// The effect of recording `disposition` (with `callbackAt`) on `call` by the actor, or the
    /// refusal as an IPC error. `windowAt` answers the lead's calling window at an instant.
    /// `callbackBooked`: the lead waits for a call-back an earlier `callback` disposition booked.
    func check(disposition: String, callbackAt: Int64?, call: DispositionCall, actorId: String, isAdmin: Bool,
               now: Int64, callbackBooked: Bool = false,
               windowAt: (Int64) -> WindowState) -> Result<DispositionEffect, DispositionRefusal> {
        guard allowed.contains(disposition) else { return .failure(.unknown(allowed)) }
        if !isAdmin && call.operatorId != actorId { return .failure(.notYourCall) }
        guard call.status == .answered || call.status.isTerminal else { return .failure(.callNotAnswered) }
        if let end = call.endTime, now > end + editMillis { return .failure(.editWindowClosed) }
        switch disposition {
        case Dispositions.doNotCall:
            return .success(.doNotCall)
        case Dispositions.wrongNumber:
            return .success(.failLead)
        case Dispositions.callback:
            guard let at = callbackAt else { return .failure(.callbackRequired) }
            guard at > now else { return .failure(.callbackInPast) }
            guard at <= now + Int64(Dispositions.maxCallbackDays) * 86_400_000 else { return .failure(.callbackTooFar) }
            guard windowAt(at).isOpen else { return .failure(.callbackOutsideWindow) }
            return .success(.callback(at: at))
        default:
            return .success(callbackBooked ? .cancelCallback : .record)
        }
    }
}

enum DispositionRefusal: Error, Equatable {
    case unknown([String])
    case notYourCall
    case callNotAnswered
    case editWindowClosed
    case callbackRequired
    case callbackInPast
    case callbackTooFar
    case callbackOutsideWindow
}

/// Whether a booked call-back is dialed now for its operator, waits, or goes to anyone.
enum CallbackDecision: Equatable {
    case dialForOperator
    case wait(until: Int64)
    case releaseToAnyone
}

enum CallbackRules {
    /// `dueAt` is the booked time; the operator has `graceMillis` after it to be free.
    static func decide(dueAt: Int64, graceMillis: Int64, operatorFree: Bool, now: Int64) -> CallbackDecision {
        if now < dueAt { return .wait(until: dueAt) }
        if now >= dueAt + graceMillis { return .releaseToAnyone }
        return operatorFree ? .dialForOperator : .wait(until: dueAt + graceMillis)
    }
}
