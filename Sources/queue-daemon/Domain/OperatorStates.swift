/// Operator states as the queue sees them (issue 14, DESIGN §11): `available`, `on_call`,
/// `wrap_up` (after-call work: the call ended and the outcome is not in yet) and `unavailable`
/// (inactive or not taking calls). Pure transitions, table-tested; `OperatorPool` applies them.
///
/// - A call is reserved or connected → `on_call`.
/// - The call ends → `wrap_up` until `now + wrapUpMillis`, unless the operator already submitted
///   the outcome of that call during it (then straight back), or wrap-up is off (0 ms).
/// - The outcome of the wrap-up's call comes in (notes, status or disposition) → back.
/// - The wrap-up deadline passes → back.
/// - "Back" is `available`, or `unavailable` when the operator switched availability off meanwhile.

enum OperatorActivity: String, CaseIterable, Equatable {
    case available
    case onCall = "on_call"
    case wrapUp = "wrap_up"
    case unavailable
}

/// The after-call work an operator is doing.
struct WrapUp: Equatable {
    let callId: CallID
    /// When it ends by itself (ms).
    let until: Int64
}

enum OperatorEvent: Equatable {
    case callReserved(CallID)
    case callEnded(CallID, wrapUpMillis: Int64)
    case outcomeSubmitted(CallID)
    case wrapUpExpired
}

enum OperatorStates {
    /// Default and bounds of IBRAT_WRAP_UP_SECONDS.
    static let defaultWrapUpSeconds = 30
    static let wrapUpSecondsRange = 0...3600

    static func activity(of state: OperatorState) -> OperatorActivity {
        if state.onCall != nil { return .onCall }
        if state.wrapUp != nil { return .wrapUp }
        return state.isActive && state.isAvailable ? .available : .unavailable
    }

    /// The state after `event` at `now`. Events that do not fit the state leave it unchanged.
    static func apply(_ event: OperatorEvent, to state: OperatorState, now: Int64) -> OperatorState {
        var next = state
        switch event {
        case .callReserved(let callId):
            guard state.onCall == nil else { return state }
            next.onCall = callId
            next.wrapUp = nil
            next.lastBusyAt = now
        case .callEnded(let callId, let wrapUpMillis):
            guard state.onCall == callId else { return state }
            next.onCall = nil
            next.lastBusyAt = now
            if wrapUpMillis > 0 && state.submittedCall != callId {
                next.wrapUp = WrapUp(callId: callId, until: now + wrapUpMillis)
            }
            next.submittedCall = nil
        case .outcomeSubmitted(let callId):
            if state.onCall == callId {
                next.submittedCall = callId
            } else if state.wrapUp?.callId == callId {
                next.wrapUp = nil
                next.lastBusyAt = now
            } else {
                return state
            }
        case .wrapUpExpired:
            guard let wrapUp = state.wrapUp, wrapUp.until <= now else { return state }
            next.wrapUp = nil
            next.lastBusyAt = now
        }
        return next
    }
}
