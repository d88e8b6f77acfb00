/// The calls the queue-daemon believes are live (every mode), indexed by call, lead and operator.
/// Its size is the `activeCalls` the planner paces against; an entry appears when the queue
/// dispatches or starts a manual call (state `starting` until the dialer answers `start_call`),
/// when recovery or an event adopts a call the dialer reports live, or at start-up from the
/// non-terminal rows of `calls`; it goes when the call ends. A lead or an operator has at most
/// one live call here, so the table itself refuses a second call on a lead.

import Shared

struct LiveCall: Equatable {
    enum State: String, Equatable {
        /// `dialer.start_call` sent, no answer yet: recovery leaves the lead alone.
        case starting
        /// The dialer accepted the call (answer, event or its status list).
        case confirmed
        /// `start_call` got no answer (timeout or lost connection): recovery decides.
        case unconfirmed
    }

    let callId: CallID
    let leadId: LeadID
    /// The operator reserved for the call; nil for a call the dialer has without one.
    let operatorId: OperatorID?
    /// When the queue started it (or the dialer's `start_time` for adopted calls), ms.
    let startTime: Int64
    let mode: CallMode
    var state: State
    /// Order of arrival in the table (set by `add`): recovery ignores calls that arrived after
    /// it asked the dialer for its live list, since that list cannot show them yet.
    var sequence: UInt64 = 0
}

final class LiveCallTable {
    private var byCall: [CallID: LiveCall] = [:]
    private var byLead: [LeadID: CallID] = [:]
    private var byOperator: [OperatorID: CallID] = [:]
    /// The `sequence` of the newest call added so far.
    private(set) var lastSequence: UInt64 = 0

    init() {}

    var count: Int { byCall.count }
    var isEmpty: Bool { byCall.isEmpty }

    func call(id: CallID) -> LiveCall? { byCall[id] }
    func call(forLead leadId: LeadID) -> LiveCall? { byLead[leadId].flatMap { byCall[$0] } }
    func call(forOperator operatorId: OperatorID) -> LiveCall? { byOperator[operatorId].flatMap { byCall[$0] } }

    /// Every live call, oldest first (ties by call id).
    var all: [LiveCall] {
        byCall.values.sorted { $0.startTime != $1.startTime ? $0.startTime < $1.startTime : $0.callId < $1.callId }
    }

    /// Adds `call`; refused (false) when the call id is known or its lead already has a live call.
    /// An operator index clash (corrupt data: one operator on two calls) keeps the first mapping.
    @discardableResult
    func add(_ call: LiveCall) -> Bool {
        guard byCall[call.callId] == nil, byLead[call.leadId] == nil else { return false }
        lastSequence += 1
        var call = call
        call.sequence = lastSequence
        byCall[call.callId] = call
        byLead[call.leadId] = call.callId
        if let op = call.operatorId, byOperator[op] == nil { byOperator[op] = call.callId }
        return true
    }

    /// Marks a known call; false when the call is not live here.
    @discardableResult
    func setState(_ state: LiveCall.State, callId: CallID) -> Bool {
        guard byCall[callId] != nil else { return false }
        byCall[callId]?.state = state
        return true
    }

    /// Forgets the call; returns it, nil when it was not live (idempotent).
    @discardableResult
    func remove(callId: CallID) -> LiveCall? {
        guard let call = byCall.removeValue(forKey: callId) else { return nil }
        if byLead[call.leadId] == callId { byLead[call.leadId] = nil }
        if let op = call.operatorId, byOperator[op] == callId { byOperator[op] = nil }
        return call
    }

    func removeAll() {
        byCall.removeAll()
        byLead.removeAll()
        byOperator.removeAll()
    }
}
