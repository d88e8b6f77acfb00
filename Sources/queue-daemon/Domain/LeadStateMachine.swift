/// The lead status machine of DESIGN §5 as one pure function: (status × event) → transition or
/// error. `pending → claimed → calling → answered → transferred`, `failed` after max retries.
///
/// Decisions (the original had none of these working, see original-behaviour §3):
/// - Returning to `pending` always clears `assignedTo`/`claimedAt`, so a pending lead is either
///   dispatchable or visibly held; claimed leads are never auto-dialled.
/// - Operators must claim before a manual call; an admin may call a pending lead directly.
/// - `dispatch` does not re-check `nextCallTime`: the scheduler only offers due leads.
/// - `callCompleted` is accepted from `calling` too (the answered report may have been lost).
/// - Canceled calls count no attempt but wait `RetryPolicy.canceledDelayMillis` before re-dial.
/// - Admins may set only `pending` (re-queue: attempts and backoff reset), `failed` and
///   `transferred`, never while a call is live (`calling`/`answered`: use stuck reset or hang up).
/// - Soft delete keeps the status (a live call still reports its outcome) but drops a claim.

import Shared

struct LeadStateMachine {
    let retryPolicy: RetryPolicy

    init(retryPolicy: RetryPolicy = .standard) {
        self.retryPolicy = retryPolicy
    }

    typealias Outcome = Result<LeadTransition, LeadTransitionError>

    func apply(_ event: LeadEvent, to lead: LeadSnapshot, now: Int64) -> Outcome {
        func fail(_ code: LeadTransitionError.Code, _ message: String) -> Outcome {
            .failure(LeadTransitionError(code: code, from: lead.status, event: event.kind, message: message))
        }
        func move(_ to: LeadStatus, _ reason: String, _ edit: (inout LeadTransition) -> Void = { _ in }) -> Outcome {
            var transition = LeadTransition(leadId: lead.id, from: lead.status, to: to, reason: reason)
            edit(&transition)
            return .success(transition)
        }
        let otherOperator = "Lead is assigned to another operator"

        if event.requiresActiveLead && !lead.isActive { return fail(.leadInactive, "Lead is not active") }

        switch (event, lead.status) {
        case (.claim(let op), .pending):
            if let holder = lead.assignedTo, holder != op {
                return fail(.assignedToOther, "Lead is already assigned to another operator")
            }
            return move(.claimed, "claimed by operator \(op)") {
                $0.assignedTo = .set(op)
                $0.claimedAt = .set(now)
            }
        case (.claim, _):
            return fail(.invalidTransition, "Lead is not available for claiming")

        case (.claimExpired, .claimed):
            return move(.pending, "claim by operator \(lead.assignedTo ?? "-") expired", Self.dropHolder)

        case (.release(let op), .claimed):
            guard lead.assignedTo == op else { return fail(.assignedToOther, otherOperator) }
            return move(.pending, "claim released by operator \(op)", Self.dropHolder)

        case (.dispatch(let call, let op), .pending):
            if lead.assignedTo != nil { return fail(.assignedToOther, otherOperator) }
            guard let op else {
                return move(.calling, "auto-dial call \(call), predictive: operator assigned at the answer") {
                    $0.claimedAt = .cleared
                    $0.nextCallTime = .cleared
                    $0.lastCallAttempt = .set(now)
                }
            }
            return move(.calling, "auto-dial call \(call), operator \(op) reserved") {
                Self.startCall(&$0, operator: op, now: now)
            }

        case (.manualCall(let call, let op, _), .claimed):
            guard lead.assignedTo == op else { return fail(.assignedToOther, otherOperator) }
            return move(.calling, "manual call \(call) by \(op)") { Self.startCall(&$0, operator: op, now: now) }
        case (.manualCall(let call, let op, let byAdmin), .pending):
            guard byAdmin else { return fail(.notClaimed, "Lead must be claimed before starting a call") }
            if let holder = lead.assignedTo, holder != op { return fail(.assignedToOther, otherOperator) }
            return move(.calling, "manual call \(call) by admin \(op)") { Self.startCall(&$0, operator: op, now: now) }
        case (.manualCall, .calling), (.manualCall, .answered):
            return fail(.invalidTransition, "Call already in progress for this lead")

        case (.callRinging(let call), .calling):
            return move(.calling, "call \(call) ringing")
        case (.callAnswered(let call), .calling):
            return move(.answered, "call \(call) answered")
        case (.callCompleted(let call), .calling), (.callCompleted(let call), .answered):
            return move(.transferred, "call \(call) completed, talked to operator \(lead.assignedTo ?? "-")") {
                $0.nextCallTime = .cleared
            }
        case (.callConnected(let call, let op), .answered):
            return move(.transferred, "call \(call) answered, transferred to operator \(op)") {
                $0.assignedTo = .set(op)
                $0.nextCallTime = .cleared
            }
        case (.manualCallCompleted(let call), .calling), (.manualCallCompleted(let call), .answered):
            return move(.answered, "manual call \(call) completed, operator \(lead.assignedTo ?? "-") talked to the lead") {
                $0.nextCallTime = .cleared
            }
        // `calling` too: the dialer died after the answer and before the queue heard of it (the
        // restarted dialer reports the call failed after `answered`); refusing it left the lead
        // calling for ever while recovery retried the cut at every sweep.
        case (.callCut(let call), .calling), (.callCut(let call), .answered), (.callCut(let call), .transferred):
            return unsuccessful(.failed, lead: lead, now: now, why: "call \(call) was cut after the answer (dialer restart);")
        case (.callUnsuccessful(let call, let outcome), .calling):
            return unsuccessful(outcome, lead: lead, now: now, why: "call \(call)")
        case (.callUnsuccessful(let call, .abandoned), .answered):
            return unsuccessful(.abandoned, lead: lead, now: now, why: "call \(call)")
        case (.callCanceled(let call), .calling):
            return canceled(lead: lead, now: now, why: "call \(call)")

        case (.stuckReset(let final), .calling), (.stuckReset(let final), .answered):
            return stuckReset(final, lead: lead, now: now)

        case (.adminSetStatus(let target), _):
            return adminSetStatus(target, lead: lead)

        case (.dispositionStatus(let target), .answered), (.dispositionStatus(let target), .transferred),
             (.dispositionStatus(let target), .pending), (.dispositionStatus(let target), .failed):
            switch target {
            case .failed:
                return move(.failed, "disposition: lead closed") {
                    $0.nextCallTime = .cleared
                    $0.claimedAt = .cleared
                }
            case .pending:
                return move(.pending, "disposition: lead back in the queue") {
                    $0.nextCallTime = .cleared
                    Self.dropHolder(&$0)
                }
            case .transferred where lead.status == .pending:
                // A booked call-back replaced by another disposition: the lead is closed where its
                // call left it (the caller sets the operator), no longer due.
                return move(.transferred, "disposition: call-back cancelled, lead closed") {
                    $0.nextCallTime = .cleared
                    $0.claimedAt = .cleared
                }
            case .claimed, .calling, .answered, .transferred:
                return fail(.statusNotSettable, "A disposition cannot set status '\(target.rawValue)'")
            }

        case (.softDelete, _):
            if lead.status == .claimed {
                return move(.pending, "deleted, claim by operator \(lead.assignedTo ?? "-") dropped") {
                    Self.dropHolder(&$0)
                    $0.isActive = false
                }
            }
            return move(lead.status, "deleted") { $0.isActive = false }

        default:
            return fail(.invalidTransition, "Lead is \(lead.status.rawValue): \(event.kind.rawValue) is not allowed")
        }
    }

    // MARK: - Shared edits and sub-decisions

    private static func dropHolder(_ t: inout LeadTransition) {
        t.assignedTo = .cleared
        t.claimedAt = .cleared
    }

    private static func startCall(_ t: inout LeadTransition, operator op: OperatorID, now: Int64) {
        t.assignedTo = .set(op)
        t.claimedAt = .cleared
        t.nextCallTime = .cleared
        t.lastCallAttempt = .set(now)
    }

    private func unsuccessful(_ outcome: UnsuccessfulOutcome, lead: LeadSnapshot, now: Int64, why: String) -> Outcome {
        let max = retryPolicy.maxAttempts
        switch retryPolicy.decide(outcome, attemptsBefore: lead.attempts, now: now) {
        case .retry(let attempts, let at):
            let seconds = (at - now) / 1000
            var t = LeadTransition(leadId: lead.id, from: lead.status, to: .pending,
                                   reason: "\(why) \(outcome.rawValue): attempt \(attempts) of \(max), retry in \(seconds) s")
            t.attempts = attempts
            t.nextCallTime = .set(at)
            Self.dropHolder(&t)
            return .success(t)
        case .giveUp(let attempts):
            var t = LeadTransition(leadId: lead.id, from: lead.status, to: .failed,
                                   reason: "\(why) \(outcome.rawValue): attempt \(attempts) of \(max), giving up")
            t.attempts = attempts
            t.nextCallTime = .cleared
            t.claimedAt = .cleared
            return .success(t)
        }
    }

    private func canceled(lead: LeadSnapshot, now: Int64, why: String) -> Outcome {
        let delay = retryPolicy.canceledDelayMillis
        var t = LeadTransition(leadId: lead.id, from: lead.status, to: .pending,
                               reason: "\(why) canceled before answer, retry in \(delay / 1000) s")
        t.nextCallTime = .set(saturatingAddMillis(now, delay))
        Self.dropHolder(&t)
        return .success(t)
    }

    private func stuckReset(_ final: CallStatus?, lead: LeadSnapshot, now: Int64) -> Outcome {
        guard let final = final else {
            var t = LeadTransition(leadId: lead.id, from: lead.status, to: .pending, reason: "stuck: no live call, re-queued")
            t.nextCallTime = .cleared
            Self.dropHolder(&t)
            return .success(t)
        }
        switch final {
        case .initiated, .ringing:
            var t = LeadTransition(leadId: lead.id, from: lead.status, to: .pending,
                                   reason: "stuck: call never ended (\(final.rawValue)), re-queued")
            t.nextCallTime = .cleared
            Self.dropHolder(&t)
            return .success(t)
        case .answered, .completed:
            var t = LeadTransition(leadId: lead.id, from: lead.status, to: .transferred,
                                   reason: "stuck: call \(final.rawValue), talked to operator \(lead.assignedTo ?? "-")")
            t.nextCallTime = .cleared
            return .success(t)
        case .busy:
            return unsuccessful(.busy, lead: lead, now: now, why: "stuck: call")
        case .noAnswer:
            return unsuccessful(.noAnswer, lead: lead, now: now, why: "stuck: call")
        case .failed:
            return unsuccessful(.failed, lead: lead, now: now, why: "stuck: call")
        case .canceled:
            return canceled(lead: lead, now: now, why: "stuck: call")
        case .abandoned:
            return unsuccessful(.abandoned, lead: lead, now: now, why: "stuck: call")
        case .machine:
            return unsuccessful(.machine, lead: lead, now: now, why: "stuck: call")
        }
    }

    private func adminSetStatus(_ target: LeadStatus, lead: LeadSnapshot) -> Outcome {
        func fail(_ code: LeadTransitionError.Code, _ message: String) -> Outcome {
            .failure(LeadTransitionError(code: code, from: lead.status, event: .adminSetStatus, message: message))
        }
        switch target {
        case .claimed, .calling, .answered:
            return fail(.statusNotSettable, "Status '\(target.rawValue)' cannot be set by hand")
        case .pending, .failed, .transferred:
            break
        }
        if lead.status == .calling || lead.status == .answered {
            return fail(.invalidTransition, "Lead has a call in progress")
        }
        if target == lead.status && target != .pending {
            return fail(.invalidTransition, "Lead is already \(target.rawValue)")
        }
        var t = LeadTransition(leadId: lead.id, from: lead.status, to: target,
                               reason: target == .pending ? "re-queued by admin" : "set to \(target.rawValue) by admin")
        t.nextCallTime = .cleared
        t.claimedAt = .cleared
        if target == .pending {
            t.attempts = 0
            t.assignedTo = .cleared
        }
        return .success(t)
    }
}
