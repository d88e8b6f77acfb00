/// The queue's in-memory view of operators for pacing and assignment (DESIGN §5): an operator is
/// free when active, available and not on a call; dispatch picks the least-recently-busy free
/// operator (never-busy first, then oldest `lastBusyAt`, then id) and reserves them for the call,
/// so an answered lead always has someone to talk to and nobody gets two calls at once (the
/// original assigned all five lines to one salesperson). Holds operator-role users only; admins
/// are never auto-assigned. Rebuilt at start-up from `users` and the dialer's live calls.

struct OperatorState: Equatable {
    let id: OperatorID
    var isActive = true
    var isAvailable = true
    /// The call this operator is reserved for / talking on.
    var onCall: CallID?
    /// When their last call started or ended (ms); nil = never busy since start-up.
    var lastBusyAt: Int64?
    /// After-call work in progress (`OperatorStates`); not free meanwhile.
    var wrapUp: WrapUp?
    /// The outcome of the current call was submitted during it (no wrap-up after it).
    var submittedCall: CallID?

    var isFree: Bool { isActive && isAvailable && onCall == nil && wrapUp == nil }

    var activity: OperatorActivity { OperatorStates.activity(of: self) }

    /// Pick order: never busy first, then the longest idle, then id.
    static func picksBefore(_ a: OperatorState, _ b: OperatorState) -> Bool {
        let aBusy = a.lastBusyAt ?? Int64.min, bBusy = b.lastBusyAt ?? Int64.min
        if aBusy != bBusy { return aBusy < bBusy }
        return a.id < b.id
    }
}

final class OperatorPool {
    private var operators: [OperatorID: OperatorState] = [:]
    private var callOwners: [CallID: OperatorID] = [:]

    init() {}

    var count: Int { operators.count }
    func state(of id: OperatorID) -> OperatorState? { operators[id] }
    func operatorOnCall(_ callId: CallID) -> OperatorID? { callOwners[callId] }
    var onCallCount: Int { callOwners.count }

    /// Free operators in pick order.
    var freeOperators: [OperatorID] {
        operators.values.filter(\.isFree).sorted(by: OperatorState.picksBefore).map(\.id)
    }

    /// Operators per state for `GET /metrics`: free, on a call, in wrap-up, unavailable, inactive.
    var stateCounts: (free: Int, onCall: Int, wrapUp: Int, unavailable: Int, inactive: Int) {
        var counts = (free: 0, onCall: 0, wrapUp: 0, unavailable: 0, inactive: 0)
        for state in operators.values {
            if !state.isActive { counts.inactive += 1 } else if state.onCall != nil { counts.onCall += 1 }
            else if state.wrapUp != nil { counts.wrapUp += 1 }
            else if !state.isAvailable { counts.unavailable += 1 } else { counts.free += 1 }
        }
        return counts
    }
    var freeCount: Int { operators.values.reduce(0) { $0 + ($1.isFree ? 1 : 0) } }
    var hasFreeOperator: Bool { operators.values.contains { $0.isFree } }

    /// The free operator who has waited longest (O(operators)); nil when nobody is free.
    func pickLeastRecentlyBusy() -> OperatorID? {
        var best: OperatorState?
        for op in operators.values where op.isFree {
            if best.map({ OperatorState.picksBefore(op, $0) }) ?? true { best = op }
        }
        return best?.id
    }

    /// `queue.operator_changed`: availability or active flag changed (adds an unknown operator).
    /// Call reservation and `lastBusyAt` are the queue's own and are kept.
    func update(id: OperatorID, isActive: Bool, isAvailable: Bool) {
        if operators[id] == nil {
            operators[id] = OperatorState(id: id, isActive: isActive, isAvailable: isAvailable)
        } else {
            operators[id]?.isActive = isActive
            operators[id]?.isAvailable = isAvailable
        }
    }

    /// Start-up rebuild: replaces the whole state of one operator, including the live call.
    func restore(_ state: OperatorState) {
        if let old = operators[state.id]?.onCall, callOwners[old] == state.id { callOwners[old] = nil }
        if let call = state.onCall {
            if let previous = callOwners[call], previous != state.id { operators[previous]?.onCall = nil }
            callOwners[call] = state.id
        }
        operators[state.id] = state
    }

    /// Forgets an operator (user deleted or role changed); a live call keeps running in the dialer.
    @discardableResult
    func remove(id: OperatorID) -> OperatorState? {
        guard let state = operators.removeValue(forKey: id) else { return nil }
        if let call = state.onCall, callOwners[call] == id { callOwners[call] = nil }
        return state
    }

    /// Marks the operator as on `callId` from `now`. Refused (false) for an unknown operator, one
    /// already on a call, or a call id already reserved. Availability is not required here, so a
    /// manual call by an operator who paused auto-dialling still blocks them; dispatch only ever
    /// reserves operators picked as free.
    @discardableResult
    func reserve(_ id: OperatorID, callId: CallID, at now: Int64) -> Bool {
        guard let state = operators[id], state.onCall == nil, callOwners[callId] == nil else { return false }
        operators[id] = OperatorStates.apply(.callReserved(callId), to: state, now: now)
        callOwners[callId] = id
        return true
    }

    /// The call ended (any terminal status) or could not be started: frees its operator and
    /// stamps `lastBusyAt`. Returns the operator, nil for an unknown call (idempotent).
    @discardableResult
    /// With `wrapUpMillis` > 0 the operator goes into wrap-up (`OperatorStates`).
    func release(callId: CallID, at now: Int64, wrapUpMillis: Int64 = 0) -> OperatorID? {
        guard let id = callOwners.removeValue(forKey: callId) else { return nil }
        if let state = operators[id], state.onCall == callId {
            operators[id] = OperatorStates.apply(.callEnded(callId, wrapUpMillis: wrapUpMillis), to: state, now: now)
        }
        return id
    }

    /// Applies a wrap-up event (outcome submitted, deadline passed) to one operator; returns
    /// whether their activity changed.
    @discardableResult
    func apply(_ event: OperatorEvent, to id: OperatorID, at now: Int64) -> Bool {
        guard let state = operators[id] else { return false }
        let next = OperatorStates.apply(event, to: state, now: now)
        operators[id] = next
        return next.activity != state.activity
    }

    /// Operators whose wrap-up deadline passed at `now`.
    func expiredWrapUps(now: Int64) -> [OperatorID] {
        operators.values.compactMap { $0.wrapUp.map { w in w.until <= now } == true ? $0.id : nil }
    }

    /// The earliest wrap-up deadline, nil when nobody is in wrap-up.
    var nextWrapUpDeadline: Int64? { operators.values.compactMap { $0.wrapUp?.until }.min() }

    /// Every operator's id and activity (status, users list), sorted by id.
    var activities: [(OperatorID, OperatorActivity)] {
        operators.values.sorted { $0.id < $1.id }.map { ($0.id, $0.activity) }
    }

    /// Counts per activity.
    func count(_ activity: OperatorActivity) -> Int {
        operators.values.reduce(0) { $0 + ($1.activity == activity ? 1 : 0) }
    }
}
