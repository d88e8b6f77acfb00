/// The things that can happen to a lead (DESIGN §5), input to `LeadStateMachine.apply`. Call
/// events carry the call id for the `lead_events` reason; outcomes are reported by the dialer.

import Shared

enum LeadEvent: Equatable {
    /// An operator takes a pending lead from the available list.
    case claim(operatorId: OperatorID)
    /// The claim timeout passed with no call started (see `ClaimExpiry`).
    case claimExpired
    /// The claiming operator gives the lead back.
    case release(operatorId: OperatorID)
    /// The auto-dialer starts a call; `operatorId` is reserved for it (progressive pacing), or
    /// nil when the call takes whichever operator is free at the answer (predictive pacing).
    case dispatch(callId: CallID, operatorId: OperatorID?)
    /// A person starts a call: an operator on a lead they claimed, or an admin (`byAdmin`) on a
    /// pending lead or one they claimed themselves.
    case manualCall(callId: CallID, operatorId: OperatorID, byAdmin: Bool)
    case callRinging(callId: CallID)
    case callAnswered(callId: CallID)
    /// A predictive call a person answered was connected to `operatorId` (issue 14).
    case callConnected(callId: CallID, operatorId: OperatorID)
    /// An answered automatic call ended: the lead talked to the operator it was handed to.
    case callCompleted(callId: CallID)
    /// An operator's own (manual) call ended after the lead answered: the lead rests in `answered`
    /// (only an automatic call handed to an operator is `transferred`; issue 10).
    case manualCallCompleted(callId: CallID)
    /// An answered call was cut by the dialer, not ended by a person (the dialer died during it):
    /// the conversation did not happen as planned, so the attempt counts and the lead is retried.
    case callCut(callId: CallID)
    /// The call ended busy, no-answer or failed; `RetryPolicy` decides retry or give up.
    case callUnsuccessful(callId: CallID, outcome: UnsuccessfulOutcome)
    /// The call was hung up before it was answered.
    case callCanceled(callId: CallID)
    /// A `calling`/`answered` lead has no live call in the dialer: move on by the call's last
    /// recorded status, or back to `pending` when there is none (or it never ended).
    case stuckReset(finalCallStatus: CallStatus?)
    /// Bulk action `update_status`. Settable targets: pending (re-queue), failed, transferred.
    case adminSetStatus(LeadStatus)
    /// The operator's disposition of an answered call decides the lead: `failed` (wrong number) or
    /// `pending` (a call-back). Allowed on a lead resting after its call (`answered` for a manual
    /// call, `transferred` for an automatic one) as well as on `pending`/`failed`; never while a
    /// call is being placed (`calling`) or on a claim.
    case dispositionStatus(LeadStatus)
    /// Bulk action `delete` / DELETE /api/leads/:id.
    case softDelete

    enum Kind: String, CaseIterable {
        case claim, claimExpired, release, dispatch, manualCall, callRinging, callAnswered, callConnected
        case callCompleted, manualCallCompleted, callCut, callUnsuccessful, callCanceled, stuckReset, adminSetStatus
        case dispositionStatus
        case softDelete
    }

    var kind: Kind {
        switch self {
        case .claim: return .claim
        case .claimExpired: return .claimExpired
        case .release: return .release
        case .dispatch: return .dispatch
        case .manualCall: return .manualCall
        case .callRinging: return .callRinging
        case .callAnswered: return .callAnswered
        case .callConnected: return .callConnected
        case .callCompleted: return .callCompleted
        case .manualCallCompleted: return .manualCallCompleted
        case .callCut: return .callCut
        case .callUnsuccessful: return .callUnsuccessful
        case .callCanceled: return .callCanceled
        case .stuckReset: return .stuckReset
        case .adminSetStatus: return .adminSetStatus
        case .dispositionStatus: return .dispositionStatus
        case .softDelete: return .softDelete
        }
    }

    /// Events that start new work on a lead are refused on a soft-deleted one; call outcomes are
    /// always recorded (the call really happened).
    var requiresActiveLead: Bool {
        switch self {
        case .claim, .dispatch, .manualCall, .softDelete: return true
        default: return false
        }
    }

    /// The call this event is about, when it is about one (for log correlation).
    var callId: CallID? {
        switch self {
        case .dispatch(let id, _), .manualCall(let id, _, _), .callRinging(let id), .callAnswered(let id), .callConnected(let id, _),
             .callCompleted(let id), .manualCallCompleted(let id), .callCut(let id), .callUnsuccessful(let id, _),
             .callCanceled(let id):
            return id
        case .claim, .claimExpired, .release, .stuckReset, .adminSetStatus, .dispositionStatus, .softDelete:
            return nil
        }
    }
}
